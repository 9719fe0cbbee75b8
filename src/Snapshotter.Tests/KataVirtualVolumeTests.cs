using System.Text;

namespace Sealpod.Snapshotter.Tests;

public sealed class KataVirtualVolumeTests
{
    [Fact]
    public void The_json_is_nydus_encoding_of_an_image_guest_pull_volume()
    {
        // What nydus-snapshotter's mountWithProxyVolume marshals with Go's encoding/json for these labels: source and
        // fs_type empty (omitempty), options "k=v", metadata the labels; map keys sorted.
        var labels = new Dictionary<string, string>
        {
            ["containerd.io/snapshot/cri.layer-digest"] = "sha256:22",
            ["containerd.io/snapshot/cri.image-ref"] = "registry.local/app:1",
        };

        string json = Encoding.UTF8.GetString(KataVirtualVolume.GuestPullJson(labels));

        Assert.Equal(
            """{"volume_type":"image_guest_pull","options":["containerd.io/snapshot/cri.image-ref=registry.local/app:1","containerd.io/snapshot/cri.layer-digest=sha256:22"],"image_pull":{"metadata":{"containerd.io/snapshot/cri.image-ref":"registry.local/app:1","containerd.io/snapshot/cri.layer-digest":"sha256:22"}}}""",
            json);
    }

    [Fact]
    public void The_option_is_the_kata_prefix_and_standard_base64_and_reads_back()
    {
        var labels = new Dictionary<string, string> { ["containerd.io/snapshot/cri.image-ref"] = "r/a:1" };

        string option = KataVirtualVolume.GuestPullOption(labels);

        Assert.StartsWith("io.katacontainers.volume=", option, StringComparison.Ordinal);
        Assert.Equal(KataVirtualVolume.GuestPullJson(labels), Convert.FromBase64String(option["io.katacontainers.volume=".Length..]));
        var parsed = KataVirtualVolume.Parse(option)!.Value;
        Assert.Equal("image_guest_pull", parsed.VolumeType);
        Assert.Equal(labels, parsed.Metadata);
        Assert.Null(KataVirtualVolume.Parse("upperdir=/x"));
    }

    [Fact]
    public void Without_labels_the_metadata_is_an_empty_object_not_null()
    {
        // Kata and nydus refuse an image_guest_pull volume whose image_pull.metadata is null (Validate).
        Assert.Equal("""{"volume_type":"image_guest_pull","image_pull":{"metadata":{}}}""", Encoding.UTF8.GetString(KataVirtualVolume.GuestPullJson(new Dictionary<string, string>())));
    }
}
