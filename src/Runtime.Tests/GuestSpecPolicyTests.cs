namespace Sealpod.Runtime.Tests;

/// <summary>What of a host spec reaches the guest; bind mount sources are described by hand here (HostTreeTests reads real ones).</summary>
public sealed class GuestSpecPolicyTests
{
    private static readonly HostEntry FileEntry = new(string.Empty, 0x81A4, 0, 0, 42);
    private static readonly HostEntry DirectoryEntry = new(string.Empty, 0x41ED, 0, 0, 4096);

    [Fact]
    public void Host_only_parts_are_removed_and_host_files_become_guest_copies()
    {
        var spec = Spec("/host/resolv.conf", "/host/data", dataOptions: "ro");
        var trees = new Dictionary<string, HostTree>
        {
            ["/host/resolv.conf"] = new("/host/resolv.conf", HostTreeKind.File, [FileEntry]),
            ["/host/data"] = new("/host/data", HostTreeKind.Directory, [DirectoryEntry, new HostEntry("a", 0x81A4, 0, 0, 10)]),
        };

        var (guest, shares, notes) = GuestSpecPolicy.Apply(spec, "c1", "/run/sealpod/storage/c1/rootfs", disableGuestSeccomp: true, (p, _) => trees[p]);

        Assert.Null(guest.Hooks);
        Assert.Null(guest.Linux!.Seccomp);
        Assert.Equal("/run/sealpod/storage/c1/rootfs", guest.Root!.Path);
        Assert.True(guest.Root.Readonly);
        Assert.Equal(["pid", "ipc", "mount"], guest.Linux.Namespaces.Select(n => n.Type));
        Assert.All(guest.Linux.Namespaces, ns => Assert.Empty(ns.Path));
        Assert.Empty(guest.Linux.Devices);
        Assert.Empty(guest.Linux.Resources!.Devices);
        Assert.Empty(guest.Process!.ApparmorProfile);
        Assert.Empty(guest.Process.SelinuxLabel);
        Assert.Empty(guest.Linux.MountLabel);

        Assert.Equal(2, shares.Count);
        Assert.Equal(("/host/resolv.conf", "/run/sealpod/shared/c1/0-resolv.conf", true), (shares[0].Source.Path, shares[0].GuestPath, shares[0].ReadOnly));
        Assert.Equal(("/host/data", "/run/sealpod/shared/c1/1-data", true), (shares[1].Source.Path, shares[1].GuestPath, shares[1].ReadOnly));
        Assert.Equal(["/proc", "/etc/resolv.conf", "/data"], guest.Mounts.Select(m => m.Destination));
        Assert.Equal([shares[0].GuestPath, shares[1].GuestPath], guest.Mounts.Skip(1).Select(m => m.Source));
        Assert.Contains(notes, n => n.StartsWith("hooks", StringComparison.Ordinal));

        // The host's spec is left as it was: the policy returns the guest's.
        Assert.NotNull(spec.Hooks);
        Assert.Equal("/host/resolv.conf", spec.Mounts[1].Source);
    }

    [Fact]
    public void A_read_write_host_directory_is_refused_naming_the_mount()
    {
        var spec = Spec("/host/resolv.conf", "/host/data", dataOptions: "rw");

        var error = Assert.Throws<InvalidArgumentException>(() => GuestSpecPolicy.Apply(spec, "c1", "/r", false, (p, _) =>
            p == "/host/data" ? new HostTree(p, HostTreeKind.Directory, [DirectoryEntry]) : new HostTree(p, HostTreeKind.File, [FileEntry])));

        Assert.StartsWith("bind mount /host/data -> /data: a read-write host directory cannot be given to the guest", error.Message, StringComparison.Ordinal);
        Assert.Contains("read-only", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_source_is_refused_with_the_reason()
    {
        var spec = Spec("/host/gone", "/host/data", dataOptions: "ro");

        var error = Assert.Throws<InvalidArgumentException>(() => GuestSpecPolicy.Apply(spec, "c1", "/r", false, (p, _) =>
            new HostTree(p, HostTreeKind.Missing, []) { Error = $"stat {p}: No such file or directory" }));

        Assert.Equal("bind mount /host/gone -> /etc/resolv.conf: the host path cannot be read: stat /host/gone: No such file or directory", error.Message);
    }

    [Fact]
    public void Sockets_and_devices_are_left_out_with_a_note_as_kata_does_and_seccomp_stays_when_the_guest_applies_it()
    {
        var spec = Spec("/run/host.sock", "/host/data", dataOptions: "ro");

        var (guest, shares, notes) = GuestSpecPolicy.Apply(spec, "c1", "/r", disableGuestSeccomp: false, (p, _) =>
            p == "/run/host.sock" ? new HostTree(p, HostTreeKind.Other, []) : new HostTree(p, HostTreeKind.Directory, [DirectoryEntry]));

        Assert.NotNull(guest.Linux!.Seccomp);
        Assert.Equal(["/host/data"], shares.Select(s => s.Source.Path));
        Assert.Equal(["/proc", "/data"], guest.Mounts.Select(m => m.Destination));
        Assert.Contains(notes, n => n.StartsWith("bind mount /run/host.sock -> /etc/resolv.conf (not a regular file or directory", StringComparison.Ordinal));
    }

    [Fact]
    public void Sources_over_the_copy_limits_are_refused_naming_the_mount()
    {
        var big = new HostTree("/host/big", HostTreeKind.File, [FileEntry with { Size = GuestSpecPolicy.MaxSharedBytes + 1 }]);
        var many = new HostTree("/host/data", HostTreeKind.Directory, [DirectoryEntry]) { Truncated = true };

        var tooBig = Assert.Throws<InvalidArgumentException>(() => GuestSpecPolicy.Apply(Spec("/host/big", "/host/data", "ro"), "c1", "/r", false, (p, _) => p == "/host/big" ? big : many));
        var tooMany = Assert.Throws<InvalidArgumentException>(() => GuestSpecPolicy.Apply(Spec("/host/small", "/host/data", "ro"), "c1", "/r", false, (p, _) =>
            p == "/host/data" ? many : new HostTree(p, HostTreeKind.File, [FileEntry])));

        Assert.Equal($"bind mount /host/big -> /etc/resolv.conf: {GuestSpecPolicy.MaxSharedBytes + 1} bytes to copy into the guest, over the {GuestSpecPolicy.MaxSharedBytes}-byte limit (the copy lives in guest memory)", tooBig.Message);
        Assert.Equal($"bind mount /host/data -> /data: more than {GuestSpecPolicy.MaxSharedEntries} files and directories to copy into the guest", tooMany.Message);
    }

    [Fact]
    public void Cris_dev_shm_bind_becomes_a_guest_tmpfs()
    {
        var spec = new OciSpec
        {
            Mounts = [new OciMount { Destination = "/dev/shm", Type = "bind", Source = "/run/containerd/io.containerd.grpc.v1.cri/sandboxes/p/shm", Options = ["rbind", "rw"] }],
        };

        var (guest, shares, notes) = GuestSpecPolicy.Apply(spec, "c1", "/r", false, (_, _) => throw new InvalidOperationException("/dev/shm is not read from the host"));

        Assert.Empty(shares);
        var shm = Assert.Single(guest.Mounts);
        Assert.Equal(("/dev/shm", "tmpfs", "shm"), (shm.Destination, shm.Type, shm.Source));
        Assert.Contains("mode=1777", shm.Options);
        Assert.Contains(notes, n => n.Contains("/dev/shm (a tmpfs in the guest instead)", StringComparison.Ordinal));
    }

    [Fact]
    public void A_kubernetes_empty_dir_becomes_a_guest_local_storage_the_pod_shares_instead_of_a_refused_rw_directory()
    {
        const string Volume = "/var/lib/kubelet/pods/3f1c/volumes/kubernetes.io~empty-dir/cache";
        var spec = Spec("/host/resolv.conf", Volume, dataOptions: "rw");
        var trees = new Dictionary<string, HostTree> { ["/host/resolv.conf"] = new("/host/resolv.conf", HostTreeKind.File, [FileEntry]) };

        var (guest, shares, _) = GuestSpecPolicy.Apply(spec, "c1", "/run/sealpod/storage/c1/rootfs", disableGuestSeccomp: false, (p, _) => trees[p]);

        var data = guest.Mounts.Single(m => m.Destination == "/data");
        Assert.Equal("/run/kata-containers/sandbox/local/cache", data.Source);
        Assert.DoesNotContain(shares, s => s.Source.Path == Volume);
        var storage = Assert.Single(GuestSpecPolicy.EmptyDirStorages(guest));
        Assert.Equal(("local", "local", "local", "/run/kata-containers/sandbox/local/cache"), (storage.Driver, storage.Source, storage.FsType, storage.MountPoint));
        Assert.Equal(["mode=0777"], storage.Options);
    }

    [Theory]
    [InlineData("/var/lib/kubelet/pods/u/volumes/kubernetes.io~empty-dir/a/../../etc")]
    [InlineData("/var/lib/kubelet/pods/u/volumes/kubernetes.io~empty-dir/..")]
    [InlineData("/var/lib/kubelet/pods/u/volumes/kubernetes.io~empty-dir/a b")]
    public void An_empty_dir_name_that_is_not_one_plain_component_is_refused_naming_the_mount(string source)
    {
        var spec = Spec("/host/resolv.conf", source, dataOptions: "rw");

        var error = Assert.Throws<InvalidArgumentException>(() => GuestSpecPolicy.Apply(spec, "c1", "/r", disableGuestSeccomp: false,
            (p, _) => new HostTree(p, HostTreeKind.File, [FileEntry])));

        Assert.Contains($"bind mount {source}", error.Message, StringComparison.Ordinal);
        Assert.Contains("emptyDir volume name", error.Message, StringComparison.Ordinal);
    }

    private static OciSpec Spec(string hostFile, string hostDirectory, string dataOptions)
    {
        var spec = OciSpecTranslator.ToSpec(Encoding.UTF8.GetBytes(SampleSpecs.Full(hostFile, hostDirectory)));
        return spec with
        {
            Mounts = spec.Mounts.Select(m => m.Destination == "/data" ? m with { Options = [.. m.Options.Where(o => o != "rw"), dataOptions] } : m).ToList(),
        };
    }
}
