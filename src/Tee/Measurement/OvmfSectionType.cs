namespace Sealpod.Tee.Measurement;

/// <summary>
/// The section types of OVMF's SEV metadata (OvmfPkg/ResetVector/X64/OvmfSevMetadata.asm): what the VMM must
/// pre-validate or populate before the guest runs, and so what SNP_LAUNCH_UPDATE measures.
/// </summary>
public enum OvmfSectionType : uint
{
    /// <summary>Memory the firmware expects pre-validated and zeroed (page type ZERO).</summary>
    SnpSecMemory = 1,

    /// <summary>The SNP secrets page (page type SECRETS).</summary>
    SnpSecrets = 2,

    /// <summary>The CPUID page (page type CPUID).</summary>
    Cpuid = 3,

    /// <summary>The SVSM calling-area page (zeroed).</summary>
    SvsmCaa = 4,

    /// <summary>The page holding QEMU's kernel hashes table (page type NORMAL with the table, or ZERO without kernel).</summary>
    SnpKernelHashes = 0x10,
}

/// <summary>One SEV metadata section: guest-physical address, size and type.</summary>
public sealed record OvmfMetadataSection(uint Gpa, uint Size, OvmfSectionType Type);
