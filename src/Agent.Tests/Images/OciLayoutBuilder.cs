namespace Sealpod.Agent.Tests.Images;

/// <summary>An OCI image layout (oci-layout, index.json, blobs/sha256) written by hand for skopeo to push.</summary>
internal sealed class OciLayoutBuilder(string directory)
{
    private readonly List<string> _entries = [];

    /// <summary>Adds an image under <paramref name="tag"/>; returns its (image) manifest's digest.</summary>
    public string AddImage(string tag, IReadOnlyList<(byte[] Blob, string MediaType)> layers, bool index)
    {
        var diffIds = string.Join(',', layers.Select(l => $"\"sha256:{Sha(l.Blob)}\""));
        var config = Blob(Encoding.UTF8.GetBytes($"{{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{{}},\"rootfs\":{{\"type\":\"layers\",\"diff_ids\":[{diffIds}]}}}}"));
        var layerJson = string.Join(',', layers.Select(l => Descriptor(l.MediaType, Blob(l.Blob), l.Blob.Length)));
        var manifest = Encoding.UTF8.GetBytes($"{{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{Descriptor("application/vnd.oci.image.config.v1+json", config.Digest, config.Size)},\"layers\":[{layerJson}]}}");
        var manifestBlob = Blob(manifest);
        var top = manifestBlob;
        var mediaType = "application/vnd.oci.image.manifest.v1+json";
        if (index)
        {
            var list = Encoding.UTF8.GetBytes($"{{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[{{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"{manifestBlob.Digest}\",\"size\":{manifestBlob.Size},\"platform\":{{\"architecture\":\"amd64\",\"os\":\"linux\"}}}}]}}");
            top = Blob(list);
            mediaType = "application/vnd.oci.image.index.v1+json";
        }

        _entries.Add($"{{\"mediaType\":\"{mediaType}\",\"digest\":\"{top.Digest}\",\"size\":{top.Size},\"annotations\":{{\"org.opencontainers.image.ref.name\":\"{tag}\"}}}}");
        return manifestBlob.Digest;
    }

    public void Write()
    {
        File.WriteAllText(Path.Combine(directory, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        File.WriteAllText(Path.Combine(directory, "index.json"), $"{{\"schemaVersion\":2,\"manifests\":[{string.Join(',', _entries)}]}}");
    }

    private (string Digest, long Size) Blob(byte[] content)
    {
        var blobs = Path.Combine(directory, "blobs", "sha256");
        Directory.CreateDirectory(blobs);
        var hex = Sha(content);
        File.WriteAllBytes(Path.Combine(blobs, hex), content);
        return ("sha256:" + hex, content.Length);
    }

    private static string Descriptor(string mediaType, string digest, long size) => $"{{\"mediaType\":\"{mediaType}\",\"digest\":\"{digest}\",\"size\":{size}}}";

    private static string Descriptor(string mediaType, (string Digest, long Size) blob, long size) => Descriptor(mediaType, blob.Digest, size);

    private static string Sha(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));
}
