namespace Sealpod.Tee.Measurement;

/// <summary>
/// The initial VMSA (VMCB save area, AMD APM vol. 2 table B-4) KVM builds for a QEMU vCPU at reset, which SEV-ES and
/// SNP measure: real mode at the reset vector (the BSP at 0xFFFFFFF0, the APs at the firmware's SEV-ES reset address),
/// the CPU signature in RDX and the guest's SEV features.
/// </summary>
public static class Vmsa
{
    /// <summary>One page.</summary>
    public const int Size = 4096;

    /// <summary>The x86 reset vector the boot processor starts at.</summary>
    public const uint BspResetEip = 0xFFFF_FFF0;

    /// <summary>The page for vCPU <paramref name="index"/> of <paramref name="vcpus"/>.</summary>
    public static byte[] ForVcpu(int index, uint apResetEip, uint vcpuSignature, ulong sevFeatures) =>
        Build(index == 0 ? BspResetEip : apResetEip, vcpuSignature, sevFeatures);

    /// <summary>Builds one VMSA page starting at <paramref name="eip"/>.</summary>
    public static byte[] Build(uint eip, uint vcpuSignature, ulong sevFeatures)
    {
        var page = new byte[Size];
        var span = page.AsSpan();

        // Segments (selector, attributes, limit, base), 16 bytes each from offset 0: es cs ss ds fs gs gdtr ldtr idtr tr.
        Segment(span, 0x00, 0, 0x93, 0xFFFF, 0);
        Segment(span, 0x10, 0xF000, 0x9B, 0xFFFF, eip & 0xFFFF_0000);
        Segment(span, 0x20, 0, 0x93, 0xFFFF, 0);
        Segment(span, 0x30, 0, 0x93, 0xFFFF, 0);
        Segment(span, 0x40, 0, 0x93, 0xFFFF, 0);
        Segment(span, 0x50, 0, 0x93, 0xFFFF, 0);
        Segment(span, 0x60, 0, 0, 0xFFFF, 0);
        Segment(span, 0x70, 0, 0x82, 0xFFFF, 0);
        Segment(span, 0x80, 0, 0, 0xFFFF, 0);
        Segment(span, 0x90, 0, 0x8B, 0xFFFF, 0);

        U64(span, 0xD0, 0x1000);                 // EFER: KVM sets SVME
        U64(span, 0x148, 0x40);                  // CR4: KVM sets MCE
        U64(span, 0x158, 0x10);                  // CR0: ET
        U64(span, 0x160, 0x400);                 // DR7
        U64(span, 0x168, 0xFFFF_0FF0);           // DR6
        U64(span, 0x170, 0x2);                   // RFLAGS
        U64(span, 0x178, eip & 0xFFFF);          // RIP: CS base holds the upper bits
        U64(span, 0x268, 0x0007_0406_0007_0406); // G_PAT: the PAT MSR's reset value (APM vol. 2 A.3)
        U64(span, 0x310, vcpuSignature);         // RDX: the CPUID signature
        U64(span, 0x3B0, sevFeatures);           // SEV_FEATURES
        U64(span, 0x3E8, 0x1);                   // XCR0
        BinaryPrimitives.WriteUInt32LittleEndian(span[0x408..], 0x1F80); // MXCSR
        BinaryPrimitives.WriteUInt16LittleEndian(span[0x410..], 0x37F);  // x87 FCW
        return page;
    }

    private static void Segment(Span<byte> page, int offset, ushort selector, ushort attributes, uint limit, ulong segmentBase)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(page[offset..], selector);
        BinaryPrimitives.WriteUInt16LittleEndian(page[(offset + 2)..], attributes);
        BinaryPrimitives.WriteUInt32LittleEndian(page[(offset + 4)..], limit);
        BinaryPrimitives.WriteUInt64LittleEndian(page[(offset + 8)..], segmentBase);
    }

    private static void U64(Span<byte> page, int offset, ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(page[offset..], value);
}
