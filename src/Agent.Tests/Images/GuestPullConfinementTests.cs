using Sealpod.Contract.Guest;

namespace Sealpod.Agent.Tests.Images;

/// <summary>A confidential guest admits Kata's guest-pull rootfs path for the image_guest_pull driver only.</summary>
public sealed class GuestPullConfinementTests
{
    private static readonly ConfidentialConfinement Confinement = new(new AgentOptions { StorageRoot = "/run/sealpod/storage", Confidential = true });

    [Theory]
    [InlineData("/run/kata-containers/c1/rootfs", true)]
    [InlineData("/run/kata-containers/0123abc_x.y-z/rootfs", true)]
    [InlineData("/run/kata-containers/shared/rootfs", false)]
    [InlineData("/run/kata-containers/sandbox/rootfs", false)]
    [InlineData("/run/kata-containers/../etc/rootfs", false)]
    [InlineData("/run/kata-containers/c1/rootfs/x", false)]
    [InlineData("/run/kata-containers/c1", false)]
    [InlineData("/etc/kata-containers/c1/rootfs", false)]
    public void OnlyKatasRootfsPathIsAGuestPullRootfs(string path, bool expected) =>
        Assert.Equal(expected, ConfidentialConfinement.IsGuestPullRootfs(path));

    [Fact]
    public void OtherDriversMayNotMountThere()
    {
        var spec = new StorageSpec { Driver = "overlayfs", Options = ["lowerdir=/run/sealpod/storage/x"], MountPoint = "/run/kata-containers/c1/rootfs" };
        Assert.Throws<InvalidArgumentException>(() => Confinement.CheckStorage(spec, spec.MountPoint));
        Confinement.CheckStorage(spec with { Driver = GuestPullNames.Driver }, spec.MountPoint);
    }
}
