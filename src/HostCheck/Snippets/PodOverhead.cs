namespace Sealpod.HostCheck.Snippets;

/// <summary>
/// A RuntimeClass's overhead.podFixed. With static_sandbox_resource_mgmt (every CoCo template) the VM is sized at
/// start, so its whole base memory and vCPUs are pod overhead, as in Kata's kata-qemu-snp/-tdx classes (2048Mi, 1.0);
/// on top comes what the host spends per pod outside the guest (QEMU's own process, the shim), for which Kata's
/// kata-qemu class budgets 160Mi and 250m.
/// </summary>
public readonly record struct PodOverhead(int MemoryMiB, int CpuMillis)
{
    /// <summary>Host-side memory per pod: QEMU process and shim (Kata's kata-qemu RuntimeClass value).</summary>
    public const int VmmMemoryMiB = 160;

    /// <summary>Host-side CPU per pod: I/O threads and shim (Kata's kata-qemu RuntimeClass value).</summary>
    public const int VmmCpuMillis = 250;

    /// <summary>
    /// default_memory + 160Mi and ceil(default_vcpus) cores + 250m. A default_vcpus of 0 or less means "all host CPUs"
    /// in Kata; a fixed overhead cannot say that, so only the host-side 250m is counted then.
    /// </summary>
    public static PodOverhead For(int defaultMemoryMiB, double defaultVcpus) =>
        new(defaultMemoryMiB + VmmMemoryMiB, (defaultVcpus > 0 ? (int)Math.Ceiling(defaultVcpus) * 1000 : 0) + VmmCpuMillis);

    public string Memory => string.Create(CultureInfo.InvariantCulture, $"{MemoryMiB}Mi");

    public string Cpu => string.Create(CultureInfo.InvariantCulture, $"{CpuMillis}m");
}
