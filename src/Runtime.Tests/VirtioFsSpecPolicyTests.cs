namespace Sealpod.Runtime.Tests;

/// <summary>shared_fs = "virtio-fs": bind mounts become shared binds under Kata's guest directory instead of copies.</summary>
public sealed class VirtioFsSpecPolicyTests
{
    [Fact]
    public void Read_write_and_read_only_binds_point_at_the_guest_s_view_of_the_share()
    {
        var spec = OciSpecTranslator.ToSpec(Encoding.UTF8.GetBytes(SampleSpecs.Full("/host/resolv.conf", "/host/data")));
        var kinds = new Dictionary<string, HostTreeKind> { ["/host/resolv.conf"] = HostTreeKind.File, ["/host/data"] = HostTreeKind.Directory };

        var (guest, binds, notes) = GuestSpecPolicy.ApplyShared(spec, "c1", "/run/sealpod/storage/c1/rootfs", true, (p, max) =>
        {
            Assert.Equal(0, max);
            return new HostTree(p, kinds[p], []);
        });

        Assert.Equal(
            [
                new SharedBind("/host/resolv.conf", "/run/kata-containers/shared/containers/c1-0-resolv.conf", ReadOnly: true, Recursive: true),
                new SharedBind("/host/data", "/run/kata-containers/shared/containers/c1-1-data", ReadOnly: false, Recursive: true),
            ],
            binds);
        Assert.Equal(binds.Select(b => b.GuestPath), guest.Mounts.Where(m => m.Destination is "/etc/resolv.conf" or "/data").Select(m => m.Source));
        Assert.Equal("/run/sealpod/storage/c1/rootfs", guest.Root!.Path);
        Assert.Null(guest.Hooks);
        Assert.Contains(notes, n => n.StartsWith("hooks", StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_sources_fail_naming_the_mount_and_sockets_are_left_out()
    {
        var spec = OciSpecTranslator.ToSpec(Encoding.UTF8.GetBytes(SampleSpecs.Full("/host/sock", "/host/missing")));
        var error = Assert.Throws<InvalidArgumentException>(() => GuestSpecPolicy.ApplyShared(spec, "c1", "/r", false, (p, _) =>
            p == "/host/sock" ? new HostTree(p, HostTreeKind.Other, []) : new HostTree(p, HostTreeKind.Missing, []) { Error = "No such file" }));
        Assert.StartsWith("bind mount /host/missing -> /data: the host path cannot be read", error.Message, StringComparison.Ordinal);

        spec = OciSpecTranslator.ToSpec(Encoding.UTF8.GetBytes(SampleSpecs.Full("/host/sock", "/host/data")));
        var (guest, binds, notes) = GuestSpecPolicy.ApplyShared(spec, "c1", "/r", false, (p, _) =>
            new HostTree(p, p == "/host/sock" ? HostTreeKind.Other : HostTreeKind.Directory, []));
        Assert.Equal(["/host/data"], binds.Select(b => b.HostPath));
        Assert.DoesNotContain(guest.Mounts, m => m.Destination == "/etc/resolv.conf");
        Assert.Contains(notes, n => n.Contains("cannot be shared with the guest", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/data/../x y", "x_y")]
    [InlineData("/", "root")]
    [InlineData("/..hidden", "hidden")]
    public void Shared_names_are_plain_file_names(string destination, string expected)
    {
        var spec = OciSpecTranslator.ToSpec(Encoding.UTF8.GetBytes(SampleSpecs.Full("/host/resolv.conf", "/host/data")));
        spec = spec with { Mounts = spec.Mounts.Select(m => m.Destination == "/data" ? m with { Destination = destination } : m).ToList() };
        var (_, binds, _) = GuestSpecPolicy.ApplyShared(spec, "c1", "/r", false, (p, _) => new HostTree(p, HostTreeKind.Directory, []));
        Assert.Equal("/run/kata-containers/shared/containers/c1-1-" + expected, binds[1].GuestPath);
    }
}
