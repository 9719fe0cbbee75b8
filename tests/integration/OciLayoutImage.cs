using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace Sealpod.IntegrationTests;

/// <summary>
/// A one-layer OCI image written as an OCI layout directory (what skopeo's <c>oci:</c> transport reads): the layer
/// holds one file whose name and content are unique to the instance, so its blob can be looked for on the host
/// without another image's identical layer getting in the way.
/// </summary>
/// With <c>runnable</c>, the layer also holds Debian's static busybox as <c>/bin/busybox</c> and the image's command
/// sleeps, so a VM can run it and a test can read the unique file back with ExecSync.
public sealed record OciLayoutImage(string Directory, string Tag, string FileName, string Content, string LayerDigest, string DiffId, string ConfigDigest, string ManifestDigest)
{
    private const string Busybox = "/bin/busybox";

    /// <summary>The image as skopeo's source: <c>oci:DIRECTORY:TAG</c>.</summary>
    public string Source => $"oci:{Directory}:{Tag}";

    public static async Task<OciLayoutImage> WriteAsync(string directory, string tag, CancellationToken cancellationToken = default, bool runnable = false)
    {
        string unique = Guid.NewGuid().ToString("N");
        string fileName = "sealpod-guest-pull-" + unique;
        string blobs = System.IO.Directory.CreateDirectory(Path.Combine(directory, "blobs", "sha256")).FullName;

        string content = "layer content " + unique + "\n";
        var tar = new MemoryStream();
        await using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, fileName)
            {
                DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
                Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                ModificationTime = DateTimeOffset.UnixEpoch,
            };
            await writer.WriteEntryAsync(entry, cancellationToken);
            if (runnable)
            {
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, "bin/") { Mode = (UnixFileMode)0b111_101_101, ModificationTime = DateTimeOffset.UnixEpoch }, cancellationToken);
                await using var busybox = File.OpenRead(Busybox);
                var binary = new PaxTarEntry(TarEntryType.RegularFile, "bin/busybox")
                {
                    DataStream = busybox,
                    Mode = (UnixFileMode)0b111_101_101,
                    ModificationTime = DateTimeOffset.UnixEpoch,
                };
                await writer.WriteEntryAsync(binary, cancellationToken);
            }
        }

        byte[] layerTar = tar.ToArray();
        var gzipped = new MemoryStream();
        await using (var gzip = new GZipStream(gzipped, CompressionLevel.Optimal, leaveOpen: true))
        {
            await gzip.WriteAsync(layerTar, cancellationToken);
        }

        string diffId = Digest(layerTar);
        var (layerDigest, layerSize) = await BlobAsync(blobs, gzipped.ToArray(), cancellationToken);
        var (configDigest, configSize) = await BlobAsync(blobs, Encoding.UTF8.GetBytes(
            $$$"""{"architecture":"amd64","os":"linux","config":{"Cmd":{{{(runnable ? "[\"/bin/busybox\",\"sleep\",\"3600\"]" : $"[\"/{fileName}\"]")}}}},"rootfs":{"type":"layers","diff_ids":["{{{diffId}}}"]}}"""), cancellationToken);
        var (manifestDigest, manifestSize) = await BlobAsync(blobs, Encoding.UTF8.GetBytes(
            $$$"""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{{configDigest}}}","size":{{{configSize}}}},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"{{{layerDigest}}}","size":{{{layerSize}}}}]}"""), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, "index.json"),
            $$$"""{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{manifestDigest}}}","size":{{{manifestSize}}},"annotations":{"org.opencontainers.image.ref.name":"{{{tag}}}"}}]}""", cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""", cancellationToken);
        return new OciLayoutImage(directory, tag, fileName, content, layerDigest, diffId, configDigest, manifestDigest);
    }

    private static string Digest(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    private static async Task<(string Digest, long Size)> BlobAsync(string blobs, byte[] content, CancellationToken cancellationToken)
    {
        string digest = Digest(content);
        await File.WriteAllBytesAsync(Path.Combine(blobs, digest["sha256:".Length..]), content, cancellationToken);
        return (digest, content.Length);
    }
}
