namespace Sealpod.Tee.Measurement;

/// <summary>SNP_LAUNCH_UPDATE page types (SEV-SNP firmware ABI, PAGE_TYPE).</summary>
public enum SnpPageType : byte
{
    /// <summary>Ordinary measured contents.</summary>
    Normal = 1,

    /// <summary>A VMSA page.</summary>
    Vmsa = 2,

    /// <summary>A page the firmware zeroes; measured with a zero contents hash.</summary>
    Zero = 3,

    /// <summary>A page left unmeasured.</summary>
    Unmeasured = 4,

    /// <summary>The secrets page.</summary>
    Secrets = 5,

    /// <summary>The CPUID page.</summary>
    Cpuid = 6,
}
