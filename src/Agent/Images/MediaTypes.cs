namespace Sealpod.Agent.Images;

/// <summary>The manifest and layer media types of the OCI image spec and Docker's schema 2.</summary>
internal static class MediaTypes
{
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";

    /// <summary>What a manifest request accepts, in the order registries should prefer.</summary>
    public static readonly string[] Manifests = [OciIndex, DockerManifestList, OciManifest, DockerManifest];

    public static bool IsIndex(string? mediaType) => mediaType is OciIndex or DockerManifestList;

    /// <summary>How a layer's bytes are compressed, from its media type.</summary>
    public static LayerCompression LayerCompressionOf(string? mediaType, string image) => mediaType switch
    {
        "application/vnd.oci.image.layer.v1.tar" or "application/vnd.docker.image.rootfs.diff.tar" => LayerCompression.None,
        "application/vnd.oci.image.layer.v1.tar+gzip" or "application/vnd.docker.image.rootfs.diff.tar.gzip"
            or "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip"
            or "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip" => LayerCompression.Gzip,
        "application/vnd.oci.image.layer.v1.tar+zstd" => LayerCompression.Zstd,
        _ => throw new ImagePullException(image, $"layer media type '{mediaType}' is not supported (tar, tar+gzip, tar+zstd; encrypted layers need the confidential data hub)"),
    };
}

internal enum LayerCompression
{
    None,
    Gzip,
    Zstd,
}
