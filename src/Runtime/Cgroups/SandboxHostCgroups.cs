namespace Sealpod.Runtime.Cgroups;

/// <summary>
/// A running sandbox's host cgroups (Kata's host cgroup management, cgroupfs driver). With
/// <c>sandbox_cgroup_only = true</c> the hypervisor (its vhost workers are its threads on kernels from 6.4) and its
/// helpers (virtiofsd) join the pod cgroup; with false they go to the overhead cgroup and only the vCPU threads join
/// the pod cgroup, so the pod's limits meter the guest's work and not the VMM's. cgroup v2 keeps every thread of a
/// process in one domain cgroup, so there the whole hypervisor joins the pod cgroup and only the helpers are overhead.
/// </summary>
public sealed class SandboxHostCgroups
{
    private readonly HostCgroup _pod;
    private readonly HostCgroup? _overhead;
    private readonly string _sandboxDirectory;

    private SandboxHostCgroups(HostCgroup pod, HostCgroup? overhead, string sandboxDirectory)
    {
        _pod = pod;
        _overhead = overhead;
        _sandboxDirectory = sandboxDirectory;
    }

    public HostCgroup Pod => _pod;

    public HostCgroup? Overhead => _overhead;

    /// <summary>
    /// Creates the pod (and overhead) cgroups, records them in <paramref name="sandboxDirectory"/> and applies the pod's
    /// limits. On failure what was created is removed.
    /// </summary>
    /// <exception cref="IOException">A cgroup could not be made or written; the message names the file.</exception>
    public static SandboxHostCgroups Create(HostCgroupPlan plan, CgroupHierarchies hierarchies, string sandboxDirectory)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(hierarchies);
        return SharedCgroupParents.WithLock(sandboxDirectory, () => CreateLocked(plan, hierarchies, sandboxDirectory));
    }

    private static SandboxHostCgroups CreateLocked(HostCgroupPlan plan, CgroupHierarchies hierarchies, string sandboxDirectory)
    {
        var pod = HostCgroup.Create(hierarchies, plan.PodPath);
        HostCgroup? overhead = null;
        try
        {
            overhead = plan.OverheadPath is null ? null : HostCgroup.Create(hierarchies, plan.OverheadPath);
            HostCgroupRecord.Write(sandboxDirectory, pod.CreatedDirectories.Concat(overhead?.CreatedDirectories ?? []));
            plan.Resources.ApplyTo(pod);
            return new SandboxHostCgroups(pod, overhead, sandboxDirectory);
        }
        catch
        {
            HostCgroup.RemoveDirectories(pod.CreatedDirectories.Concat(overhead?.CreatedDirectories ?? []));
            SharedCgroupParents.RemoveUnused(hierarchies);
            throw;
        }
    }

    /// <summary>Moves the hypervisor, its helpers and (overhead mode, v1) its vCPU threads where they belong.</summary>
    public async Task PlaceAsync(IHypervisor vm, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vm);
        int pid = vm.Pid ?? throw new InvalidOperationException("the VM has not been started");
        var helpers = vm.HelperPids.SelectMany(ProcessTree.WithDescendants).ToList();
        if (_overhead is null)
        {
            _pod.AddProcess(pid);
            helpers.ForEach(_pod.AddProcess);
            return;
        }

        helpers.ForEach(_overhead.AddProcess);
        if (_pod.Hierarchies.Version == CgroupVersion.V2)
        {
            _pod.AddProcess(pid);
            return;
        }

        // All of QEMU first, then its vCPU threads out of it: threads made later inherit their creator's cgroup.
        _overhead.AddProcess(pid);
        var vcpus = await vm.VcpuThreadIdsAsync(cancellationToken).ConfigureAwait(false);
        if (vcpus.Count == 0)
        {
            // A driver that cannot tell its vCPU threads: the guest's work must still be metered as the pod's.
            _pod.AddProcess(pid);
            return;
        }

        foreach (int tid in vcpus)
        {
            _pod.AddThread(tid);
        }
    }

    /// <summary>Removes the cgroups (after the hypervisor and its helpers exited), then the record.</summary>
    /// <returns>What could not be removed, one sentence each.</returns>
    public IReadOnlyList<string> Remove()
    {
        // Together, deepest first: the two may share a level this sandbox made. Then the shared levels the last sandbox
        // leaves empty (another sandbox may have made them, so neither record names them).
        var problems = SharedCgroupParents.WithLock(_sandboxDirectory, () =>
        {
            var problems = HostCgroup.RemoveDirectories(_pod.CreatedDirectories.Concat(_overhead?.CreatedDirectories ?? []));
            SharedCgroupParents.RemoveUnused(_pod.Hierarchies);
            return problems;
        });
        if (problems.Count == 0)
        {
            File.Delete(Path.Combine(_sandboxDirectory, HostCgroupRecord.FileName));
        }

        return problems;
    }
}
