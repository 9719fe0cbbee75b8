namespace Sealpod.Tee.Host;

/// <summary>
/// What CPUID leaf 0x8000001F (AMD's memory encryption leaf) says: which of SME/SEV/SEV-ES/SEV-SNP the CPU has, where
/// the encryption bit sits in a page table entry and how many physical address bits encryption takes away. QEMU's
/// <c>sev-guest</c> and <c>sev-snp-guest</c> objects need the last two as <c>cbitpos</c> and <c>reduced-phys-bits</c>.
/// </summary>
/// <param name="Sme">EAX bit 0.</param>
/// <param name="Sev">EAX bit 1.</param>
/// <param name="SevEs">EAX bit 3.</param>
/// <param name="SevSnp">EAX bit 4.</param>
/// <param name="CBitPosition">EBX bits 5:0.</param>
/// <param name="ReducedPhysBits">EBX bits 11:6.</param>
public readonly record struct AmdMemoryEncryption(bool Sme, bool Sev, bool SevEs, bool SevSnp, int CBitPosition, int ReducedPhysBits)
{
    /// <summary>The leaf: AMD's "Encrypted Memory Capabilities".</summary>
    public const uint Leaf = 0x8000001F;

    private const uint ExtendedRangeLeaf = 0x80000000;

    /// <summary>Whether the CPU reports a usable encryption bit at all.</summary>
    public bool HasEncryptionBit => CBitPosition > 0;

    /// <summary>Reads the leaf; a CPU whose extended range stops below it reports nothing.</summary>
    public static AmdMemoryEncryption Read(ICpuid cpuid)
    {
        ArgumentNullException.ThrowIfNull(cpuid);
        if (!cpuid.IsSupported || cpuid.Query(ExtendedRangeLeaf).Eax < Leaf)
        {
            return default;
        }

        return Decode(cpuid.Query(Leaf));
    }

    /// <summary>Decodes the registers of leaf 0x8000001F.</summary>
    public static AmdMemoryEncryption Decode(CpuidResult leaf) => new(
        Sme: (leaf.Eax & 0x1) != 0,
        Sev: (leaf.Eax & 0x2) != 0,
        SevEs: (leaf.Eax & 0x8) != 0,
        SevSnp: (leaf.Eax & 0x10) != 0,
        CBitPosition: (int)(leaf.Ebx & 0x3F),
        ReducedPhysBits: (int)((leaf.Ebx >> 6) & 0x3F));
}
