using Sealpod.Vmm.Lifecycle;

namespace Sealpod.Vmm.CloudHypervisor;

/// <summary>The files of one Cloud Hypervisor VM inside its runtime directory.</summary>
public sealed record ClhVmFiles(string Directory) : IVmFiles
{
    /// <summary>The REST API socket (<c>--api-socket</c>).</summary>
    public string ApiSocket => Path.Combine(Directory, "clh-api.sock");

    /// <summary>The hybrid vsock socket the agent is reached through (Kata's <c>kata.hvsock</c>).</summary>
    public string VsockSocket => Path.Combine(Directory, "kata.hvsock");

    /// <summary>The guest serial console.</summary>
    public string ConsoleLog => Path.Combine(Directory, "console.log");

    /// <summary>Cloud Hypervisor's own stdout and stderr.</summary>
    public string HypervisorLog => Path.Combine(Directory, "clh.log");

    /// <summary>
    /// Cloud Hypervisor's pid, recorded by the driver while it runs (Cloud Hypervisor has no <c>-pidfile</c>), so that
    /// <c>delete</c> after a lost shim finds it.
    /// </summary>
    public string PidFile => Path.Combine(Directory, "clh.pid");

    /// <inheritdoc />
    public IReadOnlyList<string> PidFiles => [PidFile];

    /// <inheritdoc />
    public IEnumerable<string> DaemonFiles => [];

    /// <summary>The Init-Data disk image.</summary>
    public string InitDataImage => Path.Combine(Directory, "initdata.img");

    /// <summary>Every file the driver may create, for cleanup.</summary>
    public IEnumerable<string> All => [ApiSocket, VsockSocket, ConsoleLog, HypervisorLog, PidFile, InitDataImage];

    /// <summary>Throws when a socket path would not fit in a unix socket address.</summary>
    public void ValidateSocketPaths() => VmFiles.ValidateSocketPaths(Directory, [ApiSocket, VsockSocket]);

    /// <summary>Removes the sockets, which mean nothing once the VMM is gone.</summary>
    public void DeleteRuntimeFiles() => VmFiles.DeleteAll([ApiSocket, VsockSocket, PidFile]);

    /// <summary>Removes everything the driver created.</summary>
    public void DeleteAll() => VmFiles.DeleteAll(All);
}
