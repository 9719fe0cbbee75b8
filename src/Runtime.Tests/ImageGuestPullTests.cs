using Xunit;

namespace Sealpod.Runtime.Tests;

/// <summary>
/// Kata's host side of guest pull (kata_agent.go handleImageGuestPullBlockVolume): the one storage a container gets,
/// its driver option as Go's encoding/json writes it, and the snapshotter's io.katacontainers.volume option.
/// </summary>
public sealed class ImageGuestPullTests
{
    private static readonly Dictionary<string, string> ContainerAnnotations = new()
    {
        ["io.kubernetes.cri.sandbox-id"] = "pod-1",
        ["io.kubernetes.cri.container-type"] = "container",
        ["io.kubernetes.cri.image-name"] = "registry.example:5000/app:1.0",
        ["z.note"] = "<a&b>",
    };

    [Fact]
    public void ContainerStorageCarriesTheImageAndSortedMetadataAtKatasMountPoint()
    {
        var storage = ImageGuestPull.StorageFor("c1", isSandbox: false, ContainerAnnotations, volumeMetadata: null);

        Assert.Equal("image_guest_pull", storage.Driver);
        Assert.Equal("registry.example:5000/app:1.0", storage.Source);
        Assert.Equal("overlay", storage.FsType);
        Assert.Equal("/run/kata-containers/c1/rootfs", storage.MountPoint);
        Assert.Empty(storage.Options);
        Assert.False(storage.Shared);
        // Go's json.Marshal of ImagePullVolume: map keys sorted, <, > and & escaped.
        Assert.Equal(
            ["image_guest_pull={\"metadata\":{\"io.kubernetes.cri.container-type\":\"container\",\"io.kubernetes.cri.image-name\":\"registry.example:5000/app:1.0\",\"io.kubernetes.cri.sandbox-id\":\"pod-1\",\"z.note\":\"\\u003ca\\u0026b\\u003e\"}}"],
            storage.DriverOptions);
    }

    [Fact]
    public void SandboxPullsPauseAndCriOKeysAreRead()
    {
        Assert.Equal("pause", ImageGuestPull.StorageFor("pod-1", isSandbox: true, new Dictionary<string, string>(), null).Source);
        var crio = new Dictionary<string, string> { ["io.kubernetes.cri-o.ContainerType"] = "container", ["io.kubernetes.cri-o.ImageName"] = "quay.io/x/y:2" };
        Assert.Equal("quay.io/x/y:2", ImageGuestPull.StorageFor("c2", isSandbox: false, crio, null).Source);
        var error = Assert.Throws<InvalidArgumentException>(() => ImageGuestPull.StorageFor("c3", isSandbox: false, new Dictionary<string, string>(), null));
        Assert.Contains("io.kubernetes.cri.image-name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SnapshotterVolumeOptionIsParsedAndItsMetadataMergedUnderTheAnnotations()
    {
        // What nydus-snapshotter (and the Sealpod snapshotter) put on the rootfs mount.
        var json = "{\"volume_type\":\"image_guest_pull\",\"source\":\"/var/lib/snap/1\",\"options\":[\"ro\"],\"image_pull\":{\"metadata\":{\"containerd.io/snapshot/cri.layer-digest\":\"sha256:aa\",\"io.kubernetes.cri.image-name\":\"old\"}}}";
        var mounts = new[] { new RootfsMount("overlay", "overlay", ["ro", "io.katacontainers.volume=" + Convert.ToBase64String(Encoding.UTF8.GetBytes(json))]) };

        var metadata = ImageGuestPull.FindVolume(mounts);
        Assert.NotNull(metadata);
        var storage = ImageGuestPull.StorageFor("c1", isSandbox: false, ContainerAnnotations, metadata);
        Assert.StartsWith("image_guest_pull={\"metadata\":{\"containerd.io/snapshot/cri.layer-digest\":\"sha256:aa\",\"io.kubernetes.cri.container-type\"", storage.DriverOptions[0], StringComparison.Ordinal);
        Assert.Contains("\"io.kubernetes.cri.image-name\":\"registry.example:5000/app:1.0\"", storage.DriverOptions[0], StringComparison.Ordinal);
    }

    [Fact]
    public void OtherVolumesAndPlainMountsAreNotGuestPulls()
    {
        Assert.Null(ImageGuestPull.FindVolume([new RootfsMount("overlay", "overlay", ["lowerdir=/a"])]));
        var direct = Convert.ToBase64String("{\"volume_type\":\"direct_block\",\"source\":\"/dev/x\"}"u8.ToArray());
        Assert.Null(ImageGuestPull.FindVolume([new RootfsMount("overlay", "overlay", ["io.katacontainers.volume=" + direct])]));
    }

    [Theory]
    [InlineData("not base64!", "not base64")]
    [InlineData("e30=", "volume_type")]
    [InlineData("eyJ2b2x1bWVfdHlwZSI6ImltYWdlX2d1ZXN0X3B1bGwifQ==", "image_pull.metadata")]
    public void MalformedVolumeOptionIsNamed(string option, string expected)
    {
        var error = Assert.Throws<InvalidArgumentException>(() => ImageGuestPull.FindVolume([new RootfsMount("overlay", "overlay", ["io.katacontainers.volume=" + option])]));
        Assert.Contains("io.katacontainers.volume", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
