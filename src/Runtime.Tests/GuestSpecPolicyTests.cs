using System.Text;
using Sealpod.Runtime.Tests.Fakes;
using Sealpod.Runtime.Translation;

namespace Sealpod.Runtime.Tests;

public sealed class GuestSpecPolicyTests
{
    [Fact]
    public void Host_only_parts_are_removed_and_host_files_become_guest_copies()
    {
        var spec = OciSpecTranslator.ToSpec(Encoding.UTF8.GetBytes(SampleSpecs.Full("/host/resolv.conf", "/host/data")));
        var sizes = new Dictionary<string, long?> { ["/host/resolv.conf"] = 42, ["/host/data"] = null };

        var (files, dropped) = GuestSpecPolicy.Apply(spec, "c1", "/run/sealpod/storage/c1/rootfs", disableGuestSeccomp: true, p => sizes[p]);

        Assert.Null(spec.Hooks);
        Assert.Null(spec.Linux.Seccomp);
        Assert.Equal("/run/sealpod/storage/c1/rootfs", spec.Root.Path);
        Assert.True(spec.Root.Readonly);
        Assert.Equal(["pid", "ipc", "mount"], spec.Linux.Namespaces.Select(n => n.Type));
        Assert.All(spec.Linux.Namespaces, ns => Assert.Empty(ns.Path));
        Assert.Empty(spec.Linux.Devices);
        Assert.Empty(spec.Linux.Resources.Devices);
        Assert.Empty(spec.Process.ApparmorProfile);
        Assert.Empty(spec.Process.SelinuxLabel);
        Assert.Empty(spec.Linux.MountLabel);

        var file = Assert.Single(files);
        Assert.Equal("/host/resolv.conf", file.HostPath);
        Assert.Equal("/run/sealpod/shared/c1/0-resolv.conf", file.GuestPath);
        Assert.True(file.ReadOnly);
        Assert.Equal(["/proc", "/etc/resolv.conf"], spec.Mounts.Select(m => m.Destination));
        Assert.Equal(file.GuestPath, spec.Mounts[1].Source);
        Assert.Contains(dropped, d => d.Contains("/host/data", StringComparison.Ordinal));
        Assert.Contains(dropped, d => d.StartsWith("hooks", StringComparison.Ordinal));
    }

    [Fact]
    public void Seccomp_stays_when_the_guest_applies_it_and_big_files_are_not_copied()
    {
        var spec = OciSpecTranslator.ToSpec(Encoding.UTF8.GetBytes(SampleSpecs.Full("/host/big", "/host/data")));

        var (files, dropped) = GuestSpecPolicy.Apply(spec, "c1", "/r", disableGuestSeccomp: false, _ => GuestSpecPolicy.MaxSharedFileBytes + 1);

        Assert.NotNull(spec.Linux.Seccomp);
        Assert.Empty(files);
        Assert.Contains(dropped, d => d.Contains("copy limit", StringComparison.Ordinal));
    }
}
