namespace Sealpod.Vmm.Lifecycle;

/// <summary>
/// The files every driver makes in a VM's runtime directory under the same names (the console log, the Init-Data
/// image), and what it does with all of them (socket-path checks, removal); a driver's record adds its own.
/// </summary>
/// <param name="Directory">The runtime directory.</param>
public abstract record VmFileSet(string Directory) : IVmFiles
{
    /// <summary>The guest serial console.</summary>
    public string ConsoleLog => Path.Combine(Directory, "console.log");

    /// <summary>The Init-Data disk image (Kata's initdata format), attached read-only.</summary>
    public string InitDataImage => Path.Combine(Directory, "initdata.img");

    /// <summary>The hypervisor's own stdout and stderr.</summary>
    public abstract string HypervisorLog { get; }

    /// <inheritdoc />
    public abstract IReadOnlyList<string> PidFiles { get; }

    /// <inheritdoc />
    public abstract IEnumerable<string> DaemonFiles { get; }

    /// <summary>Every file the driver may create, for cleanup.</summary>
    public abstract IEnumerable<string> All { get; }

    /// <summary>The sockets the driver listens on or connects to, whose paths must fit a unix socket address.</summary>
    protected abstract IReadOnlyList<string> Sockets { get; }

    /// <summary>Throws when a socket path would not fit in a unix socket address.</summary>
    public void ValidateSocketPaths() => VmFiles.ValidateSocketPaths(Directory, [.. Sockets]);

    /// <summary>Removes everything the driver created.</summary>
    public void DeleteAll() => VmFiles.DeleteAll(All);
}
