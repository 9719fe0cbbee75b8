using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace Sealpod.Bench.Cri;

/// <summary>
/// The pull benchmark's image, written as an OCI layout directory for skopeo: a first layer with Debian's static
/// busybox (and the applet links <see cref="Sealpod.CriHarness.PodConfigs.HttpServer"/>'s command needs), then
/// <c>dataLayers</c> layers of one file each of random (incompressible) bytes, gzip like a registry's layers. The
/// benchmark runs it with the harness's httpd command, so the first HTTP byte from the pod IP shows the container runs.
/// </summary>
public sealed record PullBenchImage(OciLayoutImage Layout, IReadOnlyList<string> LayerDigests, long CompressedBytes)
{
    public static async Task<PullBenchImage> WriteAsync(string directory, int dataLayers, int layerMiB, CancellationToken cancellationToken)
    {
        string blobs = Directory.CreateDirectory(Path.Combine(directory, "blobs", "sha256")).FullName;
        var layers = new List<(string Digest, long Size, string DiffId)>();
        layers.Add(await LayerAsync(blobs, async tar =>
        {
            await tar.WriteEntryAsync(DirectoryEntry("bin/"), cancellationToken);
            await using var busybox = File.OpenRead("/bin/busybox");
            await tar.WriteEntryAsync(FileEntry("bin/busybox", busybox), cancellationToken);
            // The applets PodConfigs.HttpServer's command calls by name.
            foreach (string applet in new[] { "sh", "mkdir", "printf", "hostname", "httpd" })
            {
                await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, "bin/" + applet) { LinkName = "busybox", ModificationTime = DateTimeOffset.UnixEpoch }, cancellationToken);
            }
        }, cancellationToken));
        for (int i = 0; i < dataLayers; i++)
        {
            byte[] data = RandomNumberGenerator.GetBytes(layerMiB << 20);
            string name = $"data/{i}.bin";
            layers.Add(await LayerAsync(blobs, async tar =>
            {
                await tar.WriteEntryAsync(DirectoryEntry("data/"), cancellationToken);
                await tar.WriteEntryAsync(FileEntry(name, new MemoryStream(data)), cancellationToken);
            }, cancellationToken));
        }

        string diffIds = string.Join(',', layers.Select(l => $"\"{l.DiffId}\""));
        var (configDigest, configSize) = await BlobAsync(blobs, Encoding.UTF8.GetBytes(
            $$$"""{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["/bin/busybox","httpd","-f","-p","80","-h","/www"]},"rootfs":{"type":"layers","diff_ids":[{{{diffIds}}}]}}"""), cancellationToken);
        string layerList = string.Join(',', layers.Select(l => $$$"""{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"{{{l.Digest}}}","size":{{{l.Size}}}}"""));
        var (manifestDigest, manifestSize) = await BlobAsync(blobs, Encoding.UTF8.GetBytes(
            $$$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{{configDigest}}}","size":{{{configSize}}}},"layers":[{{{layerList}}}]}"""), cancellationToken);
        const string Tag = "1";
        await File.WriteAllTextAsync(Path.Combine(directory, "index.json"),
            $$$"""{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{manifestDigest}}}","size":{{{manifestSize}}},"annotations":{"org.opencontainers.image.ref.name":"{{{Tag}}}"}}]}""", cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""", cancellationToken);
        var layout = new OciLayoutImage(directory, Tag, "bin/busybox", string.Empty, layers[0].Digest, layers[0].DiffId, configDigest, manifestDigest);
        return new PullBenchImage(layout, layers.Select(l => l.Digest).ToList(), layers.Sum(l => l.Size));
    }

    private static PaxTarEntry DirectoryEntry(string name) =>
        new(TarEntryType.Directory, name) { Mode = (UnixFileMode)0b111_101_101, ModificationTime = DateTimeOffset.UnixEpoch };

    private static PaxTarEntry FileEntry(string name, Stream content) =>
        new(TarEntryType.RegularFile, name) { DataStream = content, Mode = (UnixFileMode)0b111_101_101, ModificationTime = DateTimeOffset.UnixEpoch };

    /// <summary>A gzip layer from the entries <paramref name="write"/> adds: its blob's digest and size, and its diff id.</summary>
    private static async Task<(string Digest, long Size, string DiffId)> LayerAsync(string blobs, Func<TarWriter, Task> write, CancellationToken cancellationToken)
    {
        var tar = new MemoryStream();
        await using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            await write(writer);
        }

        var gzipped = new MemoryStream();
        await using (var gzip = new GZipStream(gzipped, CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(tar.ToArray(), cancellationToken);
        }

        var (digest, size) = await BlobAsync(blobs, gzipped.ToArray(), cancellationToken);
        return (digest, size, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(tar.ToArray())));
    }

    private static async Task<(string Digest, long Size)> BlobAsync(string blobs, byte[] content, CancellationToken cancellationToken)
    {
        string digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
        await File.WriteAllBytesAsync(Path.Combine(blobs, digest["sha256:".Length..]), content, cancellationToken);
        return (digest, content.Length);
    }
}
