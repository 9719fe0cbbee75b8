namespace Sealpod.Vmm;

/// <summary>How a VM ended.</summary>
/// <param name="ExitCode">
/// The hypervisor process's exit status; a process killed by signal N reports 128+N, the shell's convention.
/// </param>
/// <param name="ShutdownReason">
/// QEMU's reason from its SHUTDOWN event (<c>guest-shutdown</c>, <c>guest-panic</c>, <c>guest-reset</c>,
/// <c>host-qmp-quit</c>, <c>host-signal</c>...); for Cloud Hypervisor, which reports none, what the driver knows
/// (<c>host-api-shutdown</c> after vm.shutdown/vmm.shutdown, <c>guest-shutdown</c> for any other clean exit); null when
/// the process ended without one (killed, crashed).
/// </param>
/// <param name="Killed">Whether we had to SIGKILL the process because it did not stop in time.</param>
/// <param name="ExitedAt">When the exit was observed.</param>
public sealed record VmExitInfo(int ExitCode, string? ShutdownReason, bool Killed, DateTimeOffset ExitedAt);
