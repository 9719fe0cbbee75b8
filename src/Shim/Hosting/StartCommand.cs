using System.Globalization;
using System.Net.Sockets;
using Sealpod.Runtime.Oci;

namespace Sealpod.Shim.Hosting;

/// <summary>
/// <c>start</c>: decide the container's shim group (a pod container joins its sandbox's shim), and either
/// report the address of the shim already serving that group or bind the group's socket, start the server
/// on it in a new session, record <c>address</c> and <c>shim.pid</c> in the bundle, and print the address.
/// Nothing else may reach stdout or stderr: containerd reads both as the answer.
/// </summary>
internal static class StartCommand
{
    private const int MaxStdinBytes = 10 << 20;

    public static async Task<int> RunAsync(ShimFlags flags, Stream stdin, Stream stdout)
    {
        var input = StartInput.Parse(await ReadAllAsync(stdin).ConfigureAwait(false), flags.Id, flags.Namespace);
        string bundle = flags.Bundle.Length > 0 ? flags.Bundle : Directory.GetCurrentDirectory();
        var spec = OciBundle.Load(bundle);
        var membership = PodMembership.FromAnnotations(flags.Id, spec.Annotations);
        string? socketDirectory = input.Bootstrap is { HasSocketDir: true } bootstrap ? bootstrap.SocketDir : null;
        string address = ShimSocketAddress.Compute(flags.Address, flags.Namespace, membership.GroupId, socketDirectory);
        string path = ShimSocketAddress.ToPath(address);

        if (await IsServingAsync(path).ConfigureAwait(false))
        {
            WriteBundleFile(bundle, "address", address);
            await ShimProgram.WriteAsync(stdout, address).ConfigureAwait(false);
            return 0;
        }

        if (membership.Kind == ContainerKind.PodContainer)
        {
            throw new InvalidOperationException($"the shim of sandbox {membership.SandboxId} is not running (nothing listens on {path})");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Delete(path); // a socket left by a shim that died: nobody answers on it
        // Deliberately never disposed: disposing a bound unix socket deletes its file, which now belongs to
        // the daemon. This process exits right after printing the address, which closes the descriptor.
        var listener = TtrpcServer.Listen(path);
        try
        {
            int pid = DaemonSpawner.Spawn(SelfExecutable(out var prefix), [.. prefix, .. DaemonArguments(flags, address)], DaemonEnvironment(input), (int)listener.SafeHandle.DangerousGetHandle());
            WriteBundleFile(bundle, "address", address);
            WriteBundleFile(bundle, "shim.pid", pid.ToString(CultureInfo.InvariantCulture));
        }
        catch
        {
            listener.Dispose();
            File.Delete(path);
            throw;
        }

        await ShimProgram.WriteAsync(stdout, address).ConfigureAwait(false);
        return 0;
    }

    /// <summary>The server's command line: the identity flags, the socket it owns, and the inherited descriptor.</summary>
    internal static IReadOnlyList<string> DaemonArguments(ShimFlags flags, string address)
    {
        var args = new List<string> { "-namespace", flags.Namespace, "-id", flags.Id, "-address", flags.Address };
        if (flags.PublishBinary.Length > 0)
        {
            args.AddRange(["-publish-binary", flags.PublishBinary]);
        }

        if (flags.Debug)
        {
            args.Add("-debug");
        }

        args.AddRange(["-socket", address, "-listen-fd", DaemonSpawner.InheritedSocketFd.ToString(CultureInfo.InvariantCulture)]);
        return args;
    }

    private static IEnumerable<KeyValuePair<string, string>> DaemonEnvironment(StartInput input)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            environment[(string)entry.Key] = (string?)entry.Value ?? string.Empty;
        }

        // containerd 2.3+ says where its event socket is in BootstrapParams; older ones in the environment.
        if (input.Bootstrap is { ContainerdTtrpcAddress.Length: > 0 } bootstrap)
        {
            environment["TTRPC_ADDRESS"] = bootstrap.ContainerdTtrpcAddress;
        }

        return environment;
    }

    private static string SelfExecutable(out string[] prefix)
    {
        string process = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which binary this process runs");
        if (Path.GetFileNameWithoutExtension(process) == "dotnet")
        {
            // Run through the muxer (tests): the daemon runs the same assembly the same way.
            prefix = [Path.Combine(AppContext.BaseDirectory, ShimVersion.BinaryName + ".dll")];
            return process;
        }

        prefix = [];
        return process;
    }

    private static async Task<bool> IsServingAsync(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private static void WriteBundleFile(string bundle, string name, string content)
    {
        string path = Path.Combine(bundle, name);
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }

    private static async Task<byte[]> ReadAllAsync(Stream stdin)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16384];
        int read;
        while ((read = await stdin.ReadAsync(chunk).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxStdinBytes)
            {
                throw new InvalidDataException($"stdin is larger than {MaxStdinBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
