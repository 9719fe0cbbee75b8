namespace Sealpod.Tee.PreAttestation;

/// <summary>What QEMU loads into an SEV guest and measures: the launch digest is computed from exactly these.</summary>
/// <param name="Firmware">OVMF (the <c>firmware</c> key).</param>
/// <param name="Kernel">The guest kernel.</param>
/// <param name="Initrd">The initrd, or null.</param>
/// <param name="CommandLine">The kernel command line exactly as passed with <c>-append</c>.</param>
/// <param name="Vcpus">The boot vCPUs: an SEV-ES guest's measurement covers one VMSA each.</param>
/// <param name="VcpuSignature">The vCPUs' CPUID signature, which SEV-ES measures in every VMSA.</param>
public sealed record SevMeasuredBoot(string Firmware, string Kernel, string? Initrd, string CommandLine, int Vcpus = 1, uint VcpuSignature = 0);
