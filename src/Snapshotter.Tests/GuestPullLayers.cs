namespace Sealpod.Snapshotter.Tests;

/// <summary>The labels containerd 1.6's unpacker passes to Prepare for a layer CRI pulled (AppendInfoHandlerWrapper).</summary>
internal static class GuestPullLayers
{
    public const string Image = "127.0.0.1:5000/sealpod/busybox:1";

    public const string Manifest = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

    public static Dictionary<string, string> Labels(string chainId, string layerDigest) => new()
    {
        [GuestPullLabels.TargetSnapshotRef] = chainId,
        [GuestPullLabels.ImageRef] = Image,
        [GuestPullLabels.LayerDigest] = layerDigest,
        [GuestPullLabels.ManifestDigest] = Manifest,
        [GuestPullLabels.ImageLayers] = layerDigest,
    };
}
