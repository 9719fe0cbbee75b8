using System.Formats.Tar;
using System.IO.Compression;

namespace Sealpod.Agent.Tests.Images;

/// <summary>
/// The registries the guest-pull tests pull from: TestSupport's <see cref="RegistryHarness"/> (Debian's docker-registry in
/// a network namespace of the fixture's own) with an open one on 127.0.0.1:5000, an htpasswd (Basic) one on :5001, a
/// token-auth one over HTTPS on :5002 (its tokens from the harness's test token issuer, checked by the real registry)
/// and an open HTTPS one on :5003, all with certificates of the fixture's own test CA. They are filled with skopeo from
/// an OCI layout built here from busybox-static. Every program runs through <see cref="TestProcess"/>: this test
/// process reaps every child with waitpid(-1), as the agent does.
/// </summary>
public sealed class PullRegistries : IAsyncLifetime
{
    public const string Open = "127.0.0.1:5000";
    public const string Basic = "127.0.0.1:5001";
    public const string Token = "127.0.0.1:5002";
    public const string Tls = "127.0.0.1:5003";

    private RegistryHarness? _harness;
    private TempDirectory? _temp;

    public RegistryHarness Harness => _harness ?? throw new InvalidOperationException("the registries did not start");

    /// <summary>A handler whose connections open in the registries' namespace (it trusts the test CA: for the test's own requests).</summary>
    public SocketsHttpHandler Handler { get; private set; } = null!;

    public string ManifestDigest { get; private set; } = "";

    public string TamperedLayerDigest { get; private set; } = "";

    public string BusyboxSha256 { get; private set; } = "";

    /// <summary>The access log of the open registry on :5000.</summary>
    public RunningRegistry OpenRegistry { get; private set; } = null!;

    public RunningRegistry TokenRegistry { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var cancellationToken = CancellationToken.None;
        _temp = new TempDirectory("sp-pull-layout-");
        _harness = await RegistryHarness.CreateAsync(TestProcessRunner.Instance, null, [], cancellationToken);
        OpenRegistry = await Harness.StartAsync(new RegistryOptions { Listen = Open }, cancellationToken);
        var basic = await Harness.StartAsync(new RegistryOptions { Listen = Basic, Auth = RegistryAuth.Basic }, cancellationToken);
        TokenRegistry = await Harness.StartAsync(new RegistryOptions { Listen = Token, Auth = RegistryAuth.Token, Tls = true }, cancellationToken);
        var tls = await Harness.StartAsync(new RegistryOptions { Listen = Tls, Tls = true }, cancellationToken);
        Handler = Harness.CreateHandler();

        // Layer 1 (gzip): busybox, a file and a directory the next layer hides. Layer 2 (zstd): the whiteouts.
        var busybox = await File.ReadAllBytesAsync("/bin/busybox", cancellationToken);
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

        await Harness.PushAsync($"oci:{layout}:1", OpenRegistry, "test/busybox:1", cancellationToken);
        await Harness.PushAsync($"oci:{layout}:multi", OpenRegistry, "test/busybox:multi", cancellationToken);
        await Harness.PushAsync($"oci:{layout}:1", OpenRegistry, "test/other:1", cancellationToken);
        await Harness.PushAsync($"oci:{layout}:tampered", OpenRegistry, "test/tampered:1", cancellationToken);
        await Harness.PushAsync($"oci:{layout}:1", basic, "private/app:1", cancellationToken);
        await Harness.PushAsync($"oci:{layout}:1", TokenRegistry, "private/app:1", cancellationToken);
        await Harness.PushAsync($"oci:{layout}:1", tls, "test/busybox:1", cancellationToken);

        // The registry's filesystem storage serves a blob's data file as it is: replace it, keeping the digest.
        await File.WriteAllBytesAsync(OpenRegistry.BlobFile(TamperedLayerDigest), Gzip(Tar(w => AddFile(w, "only-here", "evil"u8.ToArray(), 0b110_100_100))), cancellationToken);
    }

    public async Task DisposeAsync()
    {
        Handler?.Dispose();
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }

        _temp?.Dispose();
    }

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
