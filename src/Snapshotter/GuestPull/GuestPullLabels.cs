namespace Sealpod.Snapshotter.GuestPull;

/// <summary>
/// The snapshot labels of the remote-snapshotter contract (containerd pkg/snapshotters/annotations.go, 1.6+): CRI's
/// pull puts them on every layer descriptor when `disable_snapshot_annotations = false`, containerd's unpacker hands
/// them to Prepare (snapshots.FilterInheritedLabels) together with the snapshot.ref target (the layer's chain id).
/// </summary>
public static class GuestPullLabels
{
    /// <summary>The committed name containerd wants for the layer (its chain id).</summary>
    public const string TargetSnapshotRef = "containerd.io/snapshot.ref";

    public const string ImageRef = "containerd.io/snapshot/cri.image-ref";

    public const string LayerDigest = "containerd.io/snapshot/cri.layer-digest";

    public const string ManifestDigest = "containerd.io/snapshot/cri.manifest-digest";

    public const string ImageLayers = "containerd.io/snapshot/cri.image-layers";

    /// <summary>A layer the guest pulls: the unpacker's target plus CRI's image reference and layer digest.</summary>
    public static bool IsImageLayer(IReadOnlyDictionary<string, string> labels) =>
        labels.TryGetValue(TargetSnapshotRef, out var target) && target.Length > 0
        && labels.TryGetValue(ImageRef, out var image) && image.Length > 0
        && labels.TryGetValue(LayerDigest, out var layer) && layer.Length > 0;
}
