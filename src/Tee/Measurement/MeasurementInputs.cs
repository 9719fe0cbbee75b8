namespace Sealpod.Tee.Measurement;

/// <summary>
/// Everything an AMD launch measurement depends on: what QEMU loads and how the guest's vCPUs start.
/// </summary>
public sealed record MeasurementInputs
{
    /// <summary>SEV, SEV-ES or SEV-SNP.</summary>
    public required MeasurementMode Mode { get; init; }

    /// <summary>The OVMF image (the <c>firmware</c> key).</summary>
    public required string Firmware { get; init; }

    /// <summary>The kernel QEMU loads with kernel hashes; null measures the firmware alone (no <c>kernel-hashes</c>).</summary>
    public string? Kernel { get; init; }

    /// <summary>The initrd, or null for none.</summary>
    public string? Initrd { get; init; }

    /// <summary>The kernel command line exactly as QEMU's <c>-append</c> gets it.</summary>
    public string CommandLine { get; init; } = string.Empty;

    /// <summary>Boot vCPUs (SEV-ES and SNP measure a VMSA each).</summary>
    public int Vcpus { get; init; } = 1;

    /// <summary>The vCPUs' CPUID signature (<see cref="VcpuSignature"/>), in every VMSA's RDX.</summary>
    public uint VcpuSignature { get; init; }

    /// <summary>SNP's SEV_FEATURES in the VMSAs: bit 0 SNP active (sev-snp-measure's default 0x1).</summary>
    public ulong GuestFeatures { get; init; } = 0x1;

    /// <summary>A precomputed SNP digest of the firmware pages, used in place of measuring them (<c>--snp-ovmf-hash</c>).</summary>
    public byte[]? SnpOvmfHash { get; init; }
}
