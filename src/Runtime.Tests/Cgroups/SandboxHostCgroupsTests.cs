using System.Diagnostics;
using System.Globalization;
using Sealpod.Linux.Cgroups;
using Sealpod.Runtime.Cgroups;

namespace Sealpod.Runtime.Tests.Cgroups;

/// <summary>
/// A sandbox's host cgroups on this host's real hierarchies, under a test-only top level. The hypervisor is a fake
/// whose pids are real sleep processes (the integration tests use QEMU itself).
/// </summary>
[Trait("Category", "Root")]
public sealed class SandboxHostCgroupsTests : IDisposable
{
    private readonly string _top = "/sealpod-rt-test-" + Guid.NewGuid().ToString("N")[..12];
    private readonly TempDirectory _sandbox = new("sp-cgs-");
    private readonly List<Process> _processes = [];

    [Fact]
    public async Task Sandbox_cgroup_only_moves_the_hypervisor_and_its_helpers_into_the_pod_cgroup_and_removal_leaves_nothing()
    {
        var hierarchies = CgroupHierarchies.Detect();
        var vm = new FakeHypervisor { Pid = Sleep(), HelperPids = [Sleep()] };
        var plan = new HostCgroupPlan(_top + "/pod", null, PodCgroupResources.None);

        var cgroups = SandboxHostCgroups.Create(plan, hierarchies, _sandbox.Path);
        await cgroups.PlaceAsync(vm, CancellationToken.None);

        Assert.Contains(vm.Pid!.Value, cgroups.Pod.ProcessIds());
        Assert.Contains(vm.HelperPids[0], cgroups.Pod.ProcessIds());
        Assert.Equal(cgroups.Pod.CreatedDirectories, File.ReadAllLines(Path.Combine(_sandbox.Path, HostCgroupRecord.FileName)));
        KillAll();
        Assert.Empty(cgroups.Remove());
        Assert.All(hierarchies.Hierarchies, h => Assert.False(Directory.Exists(h.DirectoryOf(_top))));
        Assert.False(File.Exists(Path.Combine(_sandbox.Path, HostCgroupRecord.FileName)));
    }

    [Fact]
    public async Task Without_sandbox_cgroup_only_the_hypervisor_is_overhead_and_its_vcpu_threads_join_the_pod_cgroup()
    {
        var hierarchies = CgroupHierarchies.Detect();
        int qemu = Sleep();
        var vm = new FakeHypervisor { Pid = qemu, HelperPids = [Sleep()], VcpuThreads = [qemu] };
        var plan = new HostCgroupPlan(_top + "/pod", _top + "/overhead", new PodCgroupResources(string.Empty, string.Empty, 50000, 100000, 512));

        var cgroups = SandboxHostCgroups.Create(plan, hierarchies, _sandbox.Path);
        await cgroups.PlaceAsync(vm, CancellationToken.None);

        Assert.Contains(vm.HelperPids[0], cgroups.Overhead!.ProcessIds());
        if (hierarchies.Version == CgroupVersion.V1)
        {
            // The "vCPU thread" here is the fake's only thread: it is in the pod cgroup, its process counted there.
            Assert.Contains(qemu, cgroups.Pod.ThreadIds());
            var cpu = Assert.Single(hierarchies.With("cpu"));
            Assert.Equal("50000", File.ReadAllText(Path.Combine(cpu.DirectoryOf(cgroups.Pod.Path), "cpu.cfs_quota_us")).Trim());
            Assert.Equal("512", File.ReadAllText(Path.Combine(cpu.DirectoryOf(cgroups.Pod.Path), "cpu.shares")).Trim());
        }
        else
        {
            Assert.Contains(qemu, cgroups.Pod.ProcessIds());
        }

        KillAll();
        Assert.Empty(cgroups.Remove());
        Assert.All(hierarchies.Hierarchies, h => Assert.False(Directory.Exists(h.DirectoryOf(_top))));
    }

    [Fact]
    public void A_lost_shims_record_is_removed_by_delete_and_a_path_outside_the_hierarchies_is_left_alone()
    {
        var hierarchies = CgroupHierarchies.Detect();
        var cgroups = SandboxHostCgroups.Create(new HostCgroupPlan(_top + "/pod", _top + "/overhead", PodCgroupResources.None), hierarchies, _sandbox.Path);
        string record = Path.Combine(_sandbox.Path, HostCgroupRecord.FileName);
        string outside = _sandbox.Combine("not-a-cgroup");
        Directory.CreateDirectory(outside);
        File.AppendAllLines(record, [outside, hierarchies.Hierarchies[0].MountPoint + "/../../etc"]);

        var problems = HostCgroupRecord.RemoveRecorded(_sandbox.Path);

        Assert.Equal(2, problems.Count);
        Assert.All(problems, p => Assert.Contains("left alone", p, StringComparison.Ordinal));
        Assert.True(Directory.Exists(outside));
        Assert.All(cgroups.Pod.CreatedDirectories.Concat(cgroups.Overhead!.CreatedDirectories), d => Assert.False(Directory.Exists(d), d));
        Assert.True(File.Exists(record), "a record with refused lines is kept for a look");
    }

    [Fact]
    public void Without_a_record_delete_has_nothing_to_do() => Assert.Empty(HostCgroupRecord.RemoveRecorded(_sandbox.Path));

    public void Dispose()
    {
        KillAll();
        foreach (var hierarchy in CgroupHierarchies.Detect().Hierarchies)
        {
            string top = hierarchy.DirectoryOf(_top);
            if (Directory.Exists(top))
            {
                HostCgroup.RemoveDirectories(Directory.EnumerateDirectories(top, "*", SearchOption.AllDirectories).Append(top));
            }
        }

        _sandbox.Dispose();
    }

    private int Sleep()
    {
        var process = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        _processes.Add(process);
        return process.Id;
    }

    private void KillAll()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit();
            }
        }
    }
}
