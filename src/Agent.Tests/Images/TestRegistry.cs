using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Sealpod.Agent.Tests.Infrastructure;
using Sealpod.Linux.Netlink;
using Sealpod.TestSupport;

namespace Sealpod.Agent.Tests.Images;

/// <summary>
/// Debian's docker-registry (the real registry) twice inside a network namespace of the test's own: an open one on
/// 127.0.0.1:5000 and one with htpasswd (Basic) authentication on 127.0.0.1:5001, filled with skopeo from an OCI
/// layout built here from busybox-static. <see cref="Handler"/> opens its sockets inside the namespace, so the
/// test process reaches the registries while nothing listens on the host.
/// Every command runs through <see cref="TestProcess"/>: this test process reaps every child with waitpid(-1), as the
/// agent does, so a System.Diagnostics.Process child (TestSupport's TestNamespace included) can lose its exit status to
/// that reaper and WaitForExit never returns (seen as a hung Agent.Tests run in CI).
/// </summary>
public sealed class TestRegistry : IDisposable
{
    public const string User = "puller";
    public const string Password = "s3cret-pw";

    private readonly TempDirectory _temp = new("sp-registry-");
    private readonly List<int> _registries = [];
    private readonly bool _namespaceMade;

    public TestRegistry()
    {
        NamespaceName = $"sp-registry-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
        try
        {
            Run("/bin/ip", "netns", "add", NamespaceName);
            _namespaceMade = true;
            Run("/bin/ip", "-n", NamespaceName, "link", "set", "lo", "up");
            File.WriteAllText(_temp.File("htpasswd"), $"{User}:{Hash(Password)}\n");
            _registries.Add(StartRegistry("open", 5000, auth: false));
            _registries.Add(StartRegistry("private", 5001, auth: true));
            Handler = new SocketsHttpHandler { ConnectCallback = ConnectInNamespaceAsync, PooledConnectionLifetime = TimeSpan.FromSeconds(30) };
            WaitReady(5000);
            WaitReady(5001);

            // Layer 1 (gzip): busybox, a file and a directory the next layer hides. Layer 2 (zstd): the whiteouts.
            var busybox = File.ReadAllBytes("/bin/busybox");
            BusyboxSha256 = Convert.ToHexStringLower(SHA256.HashData(busybox));
            var layer1 = Gzip(Tar(w =>
            {
                Dir(w, "bin/");
                AddFile(w, "bin/busybox", busybox, 0b111_101_101);
                w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "bin/sh") { LinkName = "busybox" });
                Dir(w, "etc/");
                AddFile(w, "etc/removed", "gone"u8.ToArray(), 0b110_100_100);
                Dir(w, "dir/");
                Dir(w, "dir/opq/");
                AddFile(w, "dir/opq/old", "old"u8.ToArray(), 0b110_100_100);
                AddFile(w, "hello.txt", "v1\n"u8.ToArray(), 0b110_100_100);
            }));
            var layer2 = Zstd(Tar(w =>
            {
                AddFile(w, "etc/.wh.removed", [], 0b110_100_100);
                Dir(w, "dir/opq/");
                AddFile(w, "dir/opq/.wh..wh..opq", [], 0b110_100_100);
                AddFile(w, "dir/opq/new", "new"u8.ToArray(), 0b110_100_100);
                AddFile(w, "hello.txt", "v2\n"u8.ToArray(), 0b110_100_100);
            }));
            // A layer of its own for the tampering test, so the shared layers stay intact.
            var lonely = Gzip(Tar(w => AddFile(w, "only-here", Encoding.ASCII.GetBytes(Guid.NewGuid().ToString()), 0b110_100_100)));

            var layout = _temp.Combine("layout");
            var oci = new OciLayoutBuilder(layout);
            ManifestDigest = oci.AddImage("1", [(layer1, "application/vnd.oci.image.layer.v1.tar+gzip"), (layer2, "application/vnd.oci.image.layer.v1.tar+zstd")], index: false);
            oci.AddImage("multi", [(layer1, "application/vnd.oci.image.layer.v1.tar+gzip"), (layer2, "application/vnd.oci.image.layer.v1.tar+zstd")], index: true);
            oci.AddImage("tampered", [(lonely, "application/vnd.oci.image.layer.v1.tar+gzip")], index: false);
            oci.Write();
            TamperedLayerDigest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(lonely));

            Skopeo("--all", $"oci:{layout}:1", "docker://127.0.0.1:5000/test/busybox:1");
            Skopeo("--all", $"oci:{layout}:multi", "docker://127.0.0.1:5000/test/busybox:multi");
            Skopeo("--all", $"oci:{layout}:1", "docker://127.0.0.1:5000/test/other:1");
            Skopeo("--all", $"oci:{layout}:tampered", "docker://127.0.0.1:5000/test/tampered:1");
            Skopeo("--all", "--dest-creds", $"{User}:{Password}", $"oci:{layout}:1", "docker://127.0.0.1:5001/private/app:1");

            // The registry's filesystem storage serves a blob's data file as it is: replace it, keeping the digest.
            var stored = Path.Combine(_temp.Combine("open"), "docker/registry/v2/blobs/sha256", TamperedLayerDigest[7..9], TamperedLayerDigest[7..], "data");
            File.WriteAllBytes(stored, Gzip(Tar(w => AddFile(w, "only-here", "evil"u8.ToArray(), 0b110_100_100))));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string NamespaceName { get; }

    public string NamespacePath => $"/var/run/netns/{NamespaceName}";

    /// <summary>Opens connections inside the test's namespace.</summary>
    public SocketsHttpHandler Handler { get; } = null!;

    public string ManifestDigest { get; } = "";

    public string TamperedLayerDigest { get; } = "";

    public string BusyboxSha256 { get; } = "";

    public void Dispose()
    {
        foreach (int registry in _registries)
        {
            RunAllowingFailure("/bin/kill", "-KILL", registry.ToString(System.Globalization.CultureInfo.InvariantCulture));
            // Orphaned at start (see StartRegistry): whoever reaps it, its /proc entry goes once it is dead and reaped.
            for (int i = 0; i < 100 && IsRunning(registry); i++)
            {
                Thread.Sleep(50);
            }
        }

        Handler?.Dispose();
        if (_namespaceMade)
        {
            RunAllowingFailure("/bin/ip", "netns", "del", NamespaceName);
        }

        _temp.Dispose();
    }

    private async ValueTask<Stream> ConnectInNamespaceAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = await NetworkNamespace.RunAsync(NamespacePath, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp), cancellationToken);
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A listener in the namespace that accepts connections and never answers: a registry that hangs.</summary>
    public Task<Socket> ListenSilentlyAsync(int port) => NetworkNamespace.RunAsync(NamespacePath, () =>
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
        socket.Listen(8);
        return socket;
    });

    private int StartRegistry(string name, int port, bool auth)
    {
        var root = _temp.Combine(name);
        Directory.CreateDirectory(root);
        var config = new StringBuilder()
            .Append("version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: ").Append(root)
            .Append("\nhttp:\n  addr: 127.0.0.1:").Append(port).Append('\n');
        if (auth)
        {
            config.Append("auth:\n  htpasswd:\n    realm: sealpod-test\n    path: ").Append(_temp.File("htpasswd")).Append('\n');
        }

        var file = _temp.Write($"{name}.yml", config.ToString());
        // Started in the background by a shell that exits at once, so the registry outlives this call without being a
        // child of the test process's reaper-managed runner; its output goes to a file, so the runner sees EOF.
        var log = _temp.File($"{name}.log");
        var pid = Run("/bin/sh", "-c", $"/bin/ip netns exec {NamespaceName} docker-registry serve '{file}' >'{log}' 2>&1 & echo $!").Trim();
        return int.Parse(pid, System.Globalization.CultureInfo.InvariantCulture);
    }

    private void WaitReady(int port)
    {
        using var client = new HttpClient(Handler, disposeHandler: false);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var response = client.GetAsync(new Uri($"http://127.0.0.1:{port}/v2/")).GetAwaiter().GetResult();
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow > deadline || _registries.Any(r => !IsRunning(r)))
            {
                throw new InvalidOperationException($"docker-registry on port {port} did not come up");
            }

            Thread.Sleep(100);
        }
    }

    private void Skopeo(params string[] arguments)
    {
        var result = RunAllowingFailure("/bin/ip", ["netns", "exec", NamespaceName, "skopeo", "--insecure-policy", "copy", "--quiet", "--dest-tls-verify=false", .. arguments]);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"skopeo copy {string.Join(' ', arguments)} failed ({result.Status}): {result.StandardError}");
        }
    }

    private static string Hash(string password)
    {
        // docker-registry's htpasswd wants bcrypt; Python's crypt (libxcrypt) makes one.
        var hash = Run("/usr/bin/python3", "-W", "ignore", "-c",
            "import crypt,sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH)))", password).Trim();
        return hash.StartsWith("$2", StringComparison.Ordinal) ? hash : throw new InvalidOperationException($"no bcrypt hash from python3: '{hash}'");
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            // "pid (comm) S ...": a zombie (Z) has ended.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault() is not 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    // Blocking wrappers for the fixture's constructor and Dispose; Task.Run keeps xunit's context out of the wait.
    private static string Run(string path, params string[] arguments)
    {
        var result = RunAllowingFailure(path, arguments);
        return result.Succeeded ? result.StandardOutput
            : throw new InvalidOperationException($"{path} {string.Join(' ', arguments)} failed ({result.Status}): {result.StandardError}");
    }

    private static Sealpod.Agent.Processes.CommandResult RunAllowingFailure(string path, params string[] arguments) =>
        Task.Run(() => TestProcess.RunAsync(path, arguments)).GetAwaiter().GetResult();

    private static byte[] Tar(Action<TarWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            write(writer);
        }

        return buffer.ToArray();
    }

    private static void Dir(TarWriter writer, string name) =>
        writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, name) { Mode = (UnixFileMode)0b111_101_101 });

    private static void AddFile(TarWriter writer, string name, byte[] content, int mode) =>
        writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { Mode = (UnixFileMode)mode, DataStream = new MemoryStream(content) });

    private static byte[] Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return buffer.ToArray();
    }

    private static byte[] Zstd(byte[] data)
    {
        using var compressor = new ZstdSharp.Compressor(3);
        return compressor.Wrap(data).ToArray();
    }
}
