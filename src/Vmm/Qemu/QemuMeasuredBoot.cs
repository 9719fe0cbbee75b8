namespace Sealpod.Vmm.Qemu;

/// <summary>
/// What a confidential QEMU guest's launch measurement is computed from, exactly as the driver launches it.
/// </summary>
/// <param name="Firmware">The <c>firmware</c> image.</param>
/// <param name="Kernel">The guest kernel.</param>
/// <param name="Initrd">The initrd, or null when the guest boots from a disk image.</param>
/// <param name="CommandLine">The kernel command line as QEMU's <c>-append</c> gets it.</param>
/// <param name="Vcpus">The boot vCPUs (a TEE guest gets no others).</param>
/// <param name="CpuModel">QEMU's <c>-cpu</c> model name (<c>host</c> passes the host's CPU signature through).</param>
public sealed record QemuMeasuredBoot(string Firmware, string Kernel, string? Initrd, string CommandLine, int Vcpus, string CpuModel);
