namespace Sealpod.Vmm.Qemu;

/// <summary>
/// The files of one QEMU VM inside its runtime directory. Kept in one place so start-up, cleanup
/// and the tests agree on what the driver creates.
/// </summary>
public sealed record QemuVmFiles(string Directory) : VmFileSet(Directory)
{
    /// <summary>The QMP control socket.</summary>
    public string QmpSocket => Path.Combine(Directory, "qmp.sock");

    /// <summary>The virtio-serial agent socket.</summary>
    public string AgentSocket => Path.Combine(Directory, "agent.sock");

    /// <summary>QEMU's own stdout and stderr.</summary>
    public override string HypervisorLog => Path.Combine(Directory, "qemu.log");

    /// <summary>QEMU's pid file (QEMU writes it: <c>-pidfile</c>).</summary>
    public string PidFile => Path.Combine(Directory, "qemu.pid");

    /// <summary>virtiofsd's vhost-user socket (virtiofsd listens, QEMU connects).</summary>
    public string VirtiofsdSocket => Path.Combine(Directory, "vhost-fs.sock");

    /// <summary>virtiofsd's own stdout and stderr.</summary>
    public string VirtiofsdLog => Path.Combine(Directory, "virtiofsd.log");

    /// <summary>virtiofsd's pid, recorded by the driver while it runs, for cleanup after a lost shim.</summary>
    public string VirtiofsdPidFile => Path.Combine(Directory, "virtiofsd.pid");

    /// <summary>QEMU's, then virtiofsd's: QEMU goes first, so it cannot act on the shared directory while its daemon goes.</summary>
    public override IReadOnlyList<string> PidFiles => [PidFile, VirtiofsdPidFile];

    /// <summary>The pid file virtiofsd keeps next to its socket.</summary>
    public override IEnumerable<string> DaemonFiles => [VirtiofsdProcess.RunStatePidFile(VirtiofsdSocket)];

    /// <summary>SEV pre-attestation: the guest owner's DH certificate from the key broker (QEMU's dh-cert-file).</summary>
    public string SevDhCertFile => Path.Combine(Directory, Sealpod.Tee.PreAttestation.SevPreAttestation.DhCertFileName);

    /// <summary>SEV pre-attestation: the launch session blob from the key broker (QEMU's session-file).</summary>
    public string SevSessionFile => Path.Combine(Directory, Sealpod.Tee.PreAttestation.SevPreAttestation.SessionFileName);

    /// <inheritdoc />
    public override IEnumerable<string> All =>
        [QmpSocket, AgentSocket, ConsoleLog, HypervisorLog, PidFile, VirtiofsdSocket, VirtiofsdLog, VirtiofsdPidFile, InitDataImage, SevDhCertFile, SevSessionFile];

    /// <inheritdoc />
    protected override IReadOnlyList<string> Sockets => [QmpSocket, AgentSocket, VirtiofsdSocket];

    /// <summary>Removes what one QEMU process made (sockets, logs, pid files), keeping the inputs prepared for it.</summary>
    public void DeleteProcessFiles() =>
        VmFiles.DeleteAll([QmpSocket, AgentSocket, ConsoleLog, HypervisorLog, PidFile, VirtiofsdSocket, VirtiofsdLog, VirtiofsdPidFile]);

    /// <summary>Removes the sockets and pid file, which mean nothing once QEMU is gone.</summary>
    public void DeleteRuntimeFiles() => VmFiles.DeleteAll([QmpSocket, AgentSocket, PidFile, VirtiofsdSocket]);
}
