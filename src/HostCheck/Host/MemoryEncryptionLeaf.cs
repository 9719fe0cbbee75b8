namespace Sealpod.HostCheck.Host;

/// <summary>
/// AMD CPUID Fn8000_001F (memory encryption): EAX feature bits, EBX[5:0] the C-bit position in page table entries
/// and EBX[11:6] the physical address bits lost when encryption is on; ECX the number of encrypted guests.
/// QEMU's sev-guest and sev-snp-guest objects need cbitpos and reduced-phys-bits from here.
/// </summary>
public readonly record struct MemoryEncryptionLeaf(CpuIdResult Registers)
{
    public const uint Leaf = 0x8000_001F;

    public bool Sme => (Registers.Eax & 1u) != 0;

    public bool Sev => (Registers.Eax & (1u << 1)) != 0;

    public bool SevEs => (Registers.Eax & (1u << 3)) != 0;

    public bool SevSnp => (Registers.Eax & (1u << 4)) != 0;

    public int CBitPosition => (int)(Registers.Ebx & 0x3F);

    public int ReducedPhysBits => (int)((Registers.Ebx >> 6) & 0x3F);

    public uint EncryptedGuests => Registers.Ecx;

    public static MemoryEncryptionLeaf? Read(IHostProbe probe) =>
        probe.CpuId(Leaf, 0) is { } regs ? new MemoryEncryptionLeaf(regs) : null;

    public string Describe() =>
        $"SME={Bit(Sme)} SEV={Bit(Sev)} SEV-ES={Bit(SevEs)} SNP={Bit(SevSnp)} cbitpos={CBitPosition} reduced-phys-bits={ReducedPhysBits} ({Registers})";

    private static int Bit(bool value) => value ? 1 : 0;
}
