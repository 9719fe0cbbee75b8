namespace Sealpod.Runtime.Sandboxes;

public sealed partial class Sandbox
{
    // The host cgroups the VM runs in; null when SandboxHostOptions.HostCgroups is off.
    private SandboxHostCgroups? _hostCgroups;

    // After the VM started: the pod (and overhead) cgroups are made and recorded, then its processes moved.
    private static async Task JoinHostCgroupsAsync(SandboxLaunchRequest request, IHypervisor vm, string directory, Action<SandboxHostCgroups> created, CancellationToken cancellationToken)
    {
        if (request.HostCgroups is not { } plan)
        {
            return;
        }

        var cgroups = SandboxHostCgroups.Create(plan, CgroupHierarchies.Detect(), directory);
        created(cgroups);
        await cgroups.PlaceAsync(vm, cancellationToken).ConfigureAwait(false);
    }

    // Once the VM and its helpers are gone (a cgroup with a process in it cannot be removed).
    private static void RemoveHostCgroups(SandboxHostCgroups? cgroups)
    {
        if (cgroups?.Remove() is { Count: > 0 } problems)
        {
            throw new IOException(string.Join("; ", problems));
        }
    }
}
