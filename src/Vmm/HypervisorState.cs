namespace Sealpod.Vmm;

/// <summary>The lifecycle of one hypervisor instance; it runs at most one VM, once.</summary>
public enum HypervisorState
{
    /// <summary>Created, nothing launched.</summary>
    Created,

    /// <summary><see cref="IHypervisor.StartAsync"/> in progress.</summary>
    Starting,

    /// <summary>The VM process is up and controllable.</summary>
    Running,

    /// <summary>A stop is in progress.</summary>
    Stopping,

    /// <summary>The process has exited and been reaped.</summary>
    Exited,

    /// <summary>Start failed; everything it created was removed.</summary>
    Failed,

    /// <summary>Disposed: files removed.</summary>
    Disposed,
}
