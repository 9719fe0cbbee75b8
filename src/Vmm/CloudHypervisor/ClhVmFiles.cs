namespace Sealpod.Vmm.CloudHypervisor;

/// <summary>The files of one Cloud Hypervisor VM inside its runtime directory.</summary>
public sealed record ClhVmFiles(string Directory) : VmFileSet(Directory)
{
    /// <summary>The REST API socket (<c>--api-socket</c>).</summary>
    public string ApiSocket => Path.Combine(Directory, "clh-api.sock");

    /// <summary>The hybrid vsock socket the agent is reached through (Kata's <c>kata.hvsock</c>).</summary>
    public string VsockSocket => Path.Combine(Directory, "kata.hvsock");

    /// <summary>Cloud Hypervisor's own stdout and stderr.</summary>
    public override string HypervisorLog => Path.Combine(Directory, "clh.log");

    /// <summary>
    /// Cloud Hypervisor's pid, recorded by the driver while it runs (Cloud Hypervisor has no <c>-pidfile</c>), so that
    /// <c>delete</c> after a lost shim finds it.
    /// </summary>
    public string PidFile => Path.Combine(Directory, "clh.pid");

    /// <inheritdoc />
    public override IReadOnlyList<string> PidFiles => [PidFile];

    /// <inheritdoc />
    public override IEnumerable<string> DaemonFiles => [];

    /// <inheritdoc />
    public override IEnumerable<string> All => [ApiSocket, VsockSocket, ConsoleLog, HypervisorLog, PidFile, InitDataImage];

    /// <inheritdoc />
    protected override IReadOnlyList<string> Sockets => [ApiSocket, VsockSocket];

    /// <summary>Removes the sockets, which mean nothing once the VMM is gone.</summary>
    public void DeleteRuntimeFiles() => VmFiles.DeleteAll([ApiSocket, VsockSocket, PidFile]);
}
