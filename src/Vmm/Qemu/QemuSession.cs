namespace Sealpod.Vmm.Qemu;

/// <summary>What the QEMU driver holds while its VM runs, published once the start succeeded.</summary>
/// <param name="Qmp">The QMP connection.</param>
/// <param name="Files">The VM's files.</param>
/// <param name="Layout">Where disks sit, for hotplug.</param>
/// <param name="AgentEndpoint">Where the agent is reached.</param>
/// <param name="Accelerator">KVM or TCG, and why.</param>
/// <param name="Virtiofsd">The virtiofsd serving the shared directory, when there is one.</param>
/// <param name="Events">The QMP event pump, which ends when the connection closes.</param>
internal sealed record QemuSession(
    QmpClient Qmp, QemuVmFiles Files, QemuDeviceLayout Layout, AgentEndpoint AgentEndpoint, AcceleratorDecision Accelerator,
    VirtiofsdProcess? Virtiofsd, Task Events) : IVmSession
{
    IVmFiles IVmSession.Files => Files;
}
