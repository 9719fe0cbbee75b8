namespace Sealpod.Vmm.Lifecycle;

/// <summary>The files one driver makes in a VM's runtime directory, so start-up, cleanup and the tests agree on them.</summary>
internal interface IVmFiles
{
    /// <summary>The runtime directory.</summary>
    string Directory { get; }

    /// <summary>The guest serial console.</summary>
    string ConsoleLog { get; }

    /// <summary>The hypervisor's own stdout and stderr.</summary>
    string HypervisorLog { get; }

    /// <summary>The pid files of the VM's processes, in the order a cleanup after a lost shim kills them; the hypervisor's first.</summary>
    IReadOnlyList<string> PidFiles { get; }

    /// <summary>Files the VM's daemons make for themselves outside <see cref="All"/>, removed once they are gone.</summary>
    IEnumerable<string> DaemonFiles { get; }

    /// <summary>Every file the driver may create, for cleanup.</summary>
    IEnumerable<string> All { get; }

    /// <summary>Throws <see cref="ArgumentException"/> when a socket path would not fit in a unix socket address.</summary>
    void ValidateSocketPaths();

    /// <summary>Removes everything the driver created, best effort.</summary>
    void DeleteAll();
}
