using Xunit;

namespace Sealpod.Runtime.Tests;

/// <summary>
/// A container whose image the guest pulls, through the sandbox with the fake agent and hypervisor (the real agent
/// runs only in the VM; tests/vm-agent and the agent's own tests cover its side): the agent gets the one
/// image_guest_pull storage and the spec's root at its mount point, and no disk is attached or detached.
/// </summary>
public sealed class SandboxGuestPullTests
{
    [Fact]
    public async Task Guest_pulled_container_gets_one_storage_and_no_disk()
    {
        await using var fixture = await SandboxFixture.StartAsync();
        var bundle = fixture.WriteBundle("c1", "unused", SampleSpecs.Minimal());
        var loaded = OciBundle.Load(bundle);
        var annotations = new Dictionary<string, string> { ["io.kubernetes.cri.image-name"] = "127.0.0.1:5000/app:1" };
        var rootfs = ContainerRootfs.ForGuestPull(Path.Combine(bundle, "rootfs"), ImageGuestPull.StorageFor("c1", isSandbox: false, annotations, null));
        var request = new ContainerCreateRequest("c1", bundle, [], ProcessIoPaths.None, null);

        await fixture.Sandbox.CreateContainerAsync(request, loaded, ContainerKind.Single, rootfs,
            GuestContainerSpec.Prepare(loaded, "c1", disableGuestSeccomp: true), new StartupTimeline(), CancellationToken.None);

        var created = Assert.Single(fixture.Agent.Created);
        var storage = Assert.Single(created.Storages);
        Assert.Equal(("image_guest_pull", "127.0.0.1:5000/app:1", "overlay", "/run/kata-containers/c1/rootfs"), (storage.Driver, storage.Source, storage.FsType, storage.MountPoint));
        Assert.Equal("/run/kata-containers/c1/rootfs", created.Spec.Root!.Path);

        await fixture.Sandbox.DeleteContainerAsync("c1", CancellationToken.None);
        Assert.DoesNotContain(fixture.Vm.Calls, c => c.StartsWith("Hotplug", StringComparison.Ordinal) || c.StartsWith("Unplug", StringComparison.Ordinal));
        Assert.Contains("RemoveContainer c1", fixture.Agent.Calls);
    }
}
