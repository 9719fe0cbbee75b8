using System.Buffers.Binary;
using System.Text;
using Sealpod.Tee.Measurement;

namespace Sealpod.Tee.TestSupport;

/// <summary>
/// A 16 KiB stand-in for an OVMF built from OvmfPkg/AmdSev (Debian ships none): a byte pattern with a valid footer table
/// (SEV metadata, SEV hashes table, SEV-ES reset block) and SEV metadata listing the same sections as edk2-stable202405's
/// AmdSev build (sev-snp-measure's fixture), including SNP_KERNEL_HASHES. The goldens were recorded by running
/// sev-snp-measure 0.0.13 on exactly these bytes (<see cref="Sha256"/> pins them).
/// </summary>
public static class SyntheticOvmf
{
    public const int Size = 16384;
    public const uint ResetEip = 0x80B004;
    public const uint HashesTableGpa = 0x810C00;

    /// <summary>SHA-256 of the image the goldens were recorded on.</summary>
    public const string Sha256 = "1aa7125a93f050dec04abb8bd0235fc56de13755c36eec161d3b425165eff355";

    public static readonly OvmfMetadataSection[] Sections =
    [
        new(0x800000, 0x9000, OvmfSectionType.SnpSecMemory),
        new(0x80A000, 0x3000, OvmfSectionType.SnpSecMemory),
        new(0x80D000, 0x1000, OvmfSectionType.SnpSecrets),
        new(0x80E000, 0x1000, OvmfSectionType.Cpuid),
        new(0x80F000, 0x1000, OvmfSectionType.SvsmCaa),
        new(0x810000, 0x1000, OvmfSectionType.SnpKernelHashes),
        new(0x811000, 0xF000, OvmfSectionType.SnpSecMemory),
    ];

    public static byte[] Build()
    {
        var data = new byte[Size];
        for (var i = 0; i < Size; i++)
        {
            data[i] = (byte)((i * 7) + 3);
        }

        // The metadata at 0x1000: "ASEV", size, version 1, count, then (gpa, size, type) per section.
        var metadata = data.AsSpan(0x1000);
        "ASEV"u8.CopyTo(metadata);
        BinaryPrimitives.WriteUInt32LittleEndian(metadata[4..], (uint)(16 + (12 * Sections.Length)));
        BinaryPrimitives.WriteUInt32LittleEndian(metadata[8..], 1);
        BinaryPrimitives.WriteUInt32LittleEndian(metadata[12..], (uint)Sections.Length);
        for (var i = 0; i < Sections.Length; i++)
        {
            var item = metadata[(16 + (12 * i))..];
            BinaryPrimitives.WriteUInt32LittleEndian(item, Sections[i].Gpa);
            BinaryPrimitives.WriteUInt32LittleEndian(item[4..], Sections[i].Size);
            BinaryPrimitives.WriteUInt32LittleEndian(item[8..], (uint)Sections[i].Type);
        }

        var table = new List<byte>();
        Entry(table, U32(Size - 0x1000), OvmfImage.SevMetadataGuid);
        Entry(table, [.. U32(HashesTableGpa), .. U32(0x400)], OvmfImage.SevHashTableGuid);
        Entry(table, U32(ResetEip), OvmfImage.SevEsResetBlockGuid);
        var footer = new byte[18];
        BinaryPrimitives.WriteUInt16LittleEndian(footer, (ushort)(table.Count + 18));
        OvmfImage.FooterTableGuid.TryWriteBytes(footer.AsSpan(2));
        table.AddRange(footer);
        table.ToArray().CopyTo(data, Size - 32 - table.Count);
        return data;
    }

    public static byte[] Kernel() => Repeat("sealpod test kernel\n", 500);

    public static byte[] Initrd() => Repeat("sealpod test initrd\n", 300);

    private static byte[] Repeat(string line, int times) => Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(line, times)));

    private static byte[] U32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return bytes;
    }

    private static void Entry(List<byte> table, byte[] payload, Guid guid)
    {
        table.AddRange(payload);
        var header = new byte[18];
        BinaryPrimitives.WriteUInt16LittleEndian(header, (ushort)(payload.Length + 18));
        guid.TryWriteBytes(header.AsSpan(2));
        table.AddRange(header);
    }
}
