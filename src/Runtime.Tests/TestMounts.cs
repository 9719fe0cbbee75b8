using CliWrap;
using CliWrap.Buffered;

namespace Sealpod.Runtime.Tests;

internal static class TestMounts
{
    public static bool CanMount => Environment.UserName == "root" || LibC.GetEffectiveUserId() == 0;

    public static Task MountLoopAsync(string image, string mountPoint, string type) =>
        RunAsync("mount", "-t", type, "-o", "loop,ro", image, mountPoint);

    /// <summary>Unmounts if mounted; a failure (not a mount point) is ignored.</summary>
    public static async Task TryUnmountAsync(string mountPoint) =>
        await Cli.Wrap("umount").WithArguments([mountPoint]).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();

    public static void Chown(string path, int uid, int gid)
    {
        SystemCallException.ThrowIfFailed(LibC.FchownAt(LibC.AT_FDCWD, path, (uint)uid, (uint)gid, 0), "chown", path);
    }

    public static async Task<(uint Uid, uint Gid)> OwnerAsync(string path)
    {
        var output = (await RunAsync("stat", "-c", "%u %g", path)).Trim().Split(' ');
        return (uint.Parse(output[0], System.Globalization.CultureInfo.InvariantCulture), uint.Parse(output[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    private static async Task<string> RunAsync(string file, params string[] args)
    {
        var result = await Cli.Wrap(file).WithArguments(args).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        if (result.ExitCode != 0)
        {
            throw new IOException($"{file} {string.Join(' ', args)}: exit {result.ExitCode}: {result.StandardError}");
        }

        return result.StandardOutput;
    }
}
