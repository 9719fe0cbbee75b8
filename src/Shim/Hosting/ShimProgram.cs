using Sealpod.Protos.Containerd.Types;

namespace Sealpod.Shim.Hosting;

/// <summary>
/// The shim binary's entry: containerd runs it with <c>start</c> (returns the socket address), with
/// <c>delete</c> (cleans up after a shim that is gone) and, through <c>start</c>, without an action as the
/// long-running server.
/// </summary>
public static class ShimProgram
{
    /// <summary>Exit code for a bad command line, as Go's flag package uses.</summary>
    public const int UsageError = 2;

    public static async Task<int> RunAsync(string[] args, Stream stdin, Stream stdout, Stream stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ShimFlags flags;
        try
        {
            flags = ShimFlagParser.Parse(args);
        }
        catch (FormatException e)
        {
            await WriteAsync(stderr, $"{ShimVersion.BinaryName}: {e.Message}\n").ConfigureAwait(false);
            return UsageError;
        }

        if (flags.Version)
        {
            await WriteAsync(stdout, $"{ShimVersion.BinaryName}:\n  Runtime: {ShimVersion.RuntimeName}\n  Version: {ShimVersion.Version}\n  Revision: {ShimVersion.Revision}\n").ConfigureAwait(false);
            return 0;
        }

        if (flags.Info)
        {
            return await InfoAsync(stdin, stdout).ConfigureAwait(false);
        }

        try
        {
            return flags.Action switch
            {
                "start" => await StartCommand.RunAsync(RequireIdentity(flags), stdin, stdout).ConfigureAwait(false),
                "delete" => await DeleteCommand.RunAsync(RequireIdentity(flags), stdout, stderr).ConfigureAwait(false),
                "" => await ServeCommand.RunAsync(RequireIdentity(flags)).ConfigureAwait(false),
                _ => throw new ArgumentException($"unknown action \"{flags.Action}\" (expected start or delete)"),
            };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // containerd shows start's combined output as the error, and logs delete's stderr.
            await WriteAsync(stderr, $"{ShimVersion.BinaryName} {flags.Action}: {e.Message}\n").ConfigureAwait(false);
            return 1;
        }
    }

    private static ShimFlags RequireIdentity(ShimFlags flags)
    {
        if (flags.Namespace.Length == 0)
        {
            throw new ArgumentException("-namespace is required");
        }

        if (flags.Id.Length == 0)
        {
            throw new ArgumentException("-id is required");
        }

        Runtime.Oci.Identifiers.ValidateContainerId(flags.Id, "-id");
        return flags;
    }

    // containerd 2.x: the options it would pass go in on stdin and come back with the runtime's identity.
    private static async Task<int> InfoAsync(Stream stdin, Stream stdout)
    {
        using var input = new MemoryStream();
        await stdin.CopyToAsync(input).ConfigureAwait(false);
        var info = new RuntimeInfo
        {
            Name = ShimVersion.RuntimeName,
            Version = new RuntimeVersion { Version = ShimVersion.Version, Revision = ShimVersion.Revision },
        };
        if (input.Length > 0)
        {
            info.Options = Google.Protobuf.WellKnownTypes.Any.Parser.ParseFrom(input.ToArray());
        }

        await stdout.WriteAsync(info.ToByteArray()).ConfigureAwait(false);
        return 0;
    }

    internal static async Task WriteAsync(Stream stream, string text)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text)).ConfigureAwait(false);
        await stream.FlushAsync().ConfigureAwait(false);
    }
}
