namespace Sealpod.Tee.Measurement;

/// <summary>
/// An OVMF image as the AMD launch measurements see it: its bytes, the guest-physical address QEMU maps it at (ending at
/// 4 GiB), and what its GUIDed footer table declares: the SEV-ES AP reset address, the SEV hashes table location and the
/// SEV metadata sections SNP pre-validates.
/// </summary>
/// <remarks>
/// The footer table (OvmfPkg/ResetVector/Ia16/ResetVectorVtf0.asm) ends 32 bytes before the end of the image with a
/// 2-byte total size and the table GUID; entries run backwards from there, each being its data, a 2-byte size (data plus
/// this 18-byte header) and a GUID (mixed-endian, as EDK2 writes GUIDs). The SEV metadata entry holds the offset, from
/// the end of the image, of an "ASEV" header (size, version 1, item count) followed by 12-byte items (gpa, size, type).
/// </remarks>
public sealed class OvmfImage
{
    /// <summary>The footer table's own GUID.</summary>
    public static readonly Guid FooterTableGuid = new("96b582de-1fb2-45f7-baea-a366c55a082d");

    /// <summary>SEV_HASH_TABLE_RV_GUID: where QEMU writes the kernel hashes table (u32 gpa, u32 size).</summary>
    public static readonly Guid SevHashTableGuid = new("7255371f-3a3b-4b04-927b-1da6efa8d454");

    /// <summary>SEV_ES_RESET_BLOCK_GUID: the APs' reset address (u32).</summary>
    public static readonly Guid SevEsResetBlockGuid = new("00f771de-1a7e-4fcb-890e-68c77e2fb44e");

    /// <summary>OVMF_SEV_METADATA_GUID: offset from the end of the image of the SEV metadata (u32).</summary>
    public static readonly Guid SevMetadataGuid = new("dc886566-984a-4798-a75e-5585a7bf67cc");

    private const long FourGiB = 0x1_0000_0000;
    private const int EntryHeaderSize = 2 + 16;
    private const int FooterDistanceFromEnd = 32;
    private const int MetadataHeaderSize = 16;
    private const int MetadataItemSize = 12;

    private readonly Dictionary<Guid, byte[]> _table;

    private OvmfImage(string name, byte[] data, Dictionary<Guid, byte[]> table, IReadOnlyList<OvmfMetadataSection> sections)
    {
        Name = name;
        Data = data;
        _table = table;
        Sections = sections;
    }

    /// <summary>Where the image came from, for messages.</summary>
    public string Name { get; }

    /// <summary>The whole image, as QEMU loads it.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>The guest-physical address of the first byte: the image ends at 4 GiB.</summary>
    public ulong Gpa => (ulong)(FourGiB - Data.Length);

    /// <summary>The SEV metadata sections, in the image's order (empty when it has none).</summary>
    public IReadOnlyList<OvmfMetadataSection> Sections { get; }

    /// <summary>The GUIDs the footer table declares.</summary>
    public IReadOnlyCollection<Guid> TableGuids => _table.Keys;

    /// <summary>Whether QEMU can place kernel hashes for SEV and SEV-ES (the table entry is present with a nonzero gpa).</summary>
    public bool HasSevHashesTable => _table.TryGetValue(SevHashTableGuid, out var entry) && entry.Length >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(entry) != 0;

    /// <summary>The guest-physical address of the kernel hashes table.</summary>
    public uint SevHashesTableGpa => ReadU32(SevHashTableGuid, "SEV hashes table (SEV_HASH_TABLE_RV_GUID)");

    /// <summary>The SEV-ES application processors' reset address.</summary>
    public uint SevEsResetEip => ReadU32(SevEsResetBlockGuid, "SEV-ES reset block (SEV_ES_RESET_BLOCK_GUID)");

    /// <summary>Reads an image file.</summary>
    public static async Task<OvmfImage> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] data;
        try
        {
            data = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MeasurementException($"firmware {path}: cannot read: {e.Message}", e);
        }

        return Parse(path, data);
    }

    /// <summary>Parses an image held in memory.</summary>
    /// <exception cref="MeasurementException">The image is empty, or its table or metadata are malformed.</exception>
    public static OvmfImage Parse(string name, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length == 0)
        {
            throw new MeasurementException($"firmware {name}: is empty; expected an OVMF image");
        }

        var table = ParseFooterTable(name, data);
        var sections = table.TryGetValue(SevMetadataGuid, out var metadata) ? ParseMetadata(name, data, metadata) : [];
        return new OvmfImage(name, data, table, sections);
    }

    /// <summary>Whether the metadata has a section of <paramref name="type"/>.</summary>
    public bool HasSection(OvmfSectionType type) => Sections.Any(s => s.Type == type);

    private uint ReadU32(Guid guid, string what) =>
        _table.TryGetValue(guid, out var entry) && entry.Length >= 4
            ? BinaryPrimitives.ReadUInt32LittleEndian(entry)
            : throw new MeasurementException($"firmware {Name}: its OVMF footer table has no {what} entry");

    private static Dictionary<Guid, byte[]> ParseFooterTable(string name, byte[] data)
    {
        var table = new Dictionary<Guid, byte[]>();
        var footerStart = data.Length - FooterDistanceFromEnd - EntryHeaderSize;
        if (footerStart < 0 || new Guid(data.AsSpan(footerStart + 2, 16)) != FooterTableGuid)
        {
            // An image without the table (not built for SEV): SEV measures it whole, SEV-ES and SNP fail when asked.
            return table;
        }

        var tableSize = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(footerStart)) - EntryHeaderSize;
        if (tableSize < 0 || tableSize > footerStart)
        {
            throw new MeasurementException($"firmware {name}: OVMF footer table size {tableSize + EntryHeaderSize} does not fit the image");
        }

        var end = footerStart;
        var start = footerStart - tableSize;
        while (end - start >= EntryHeaderSize)
        {
            var size = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(end - EntryHeaderSize));
            var guid = new Guid(data.AsSpan(end - 16, 16));
            if (size < EntryHeaderSize || size > end - start)
            {
                throw new MeasurementException($"firmware {name}: OVMF footer table entry {guid} has size {size}, outside 18..{end - start}");
            }

            table[guid] = data.AsSpan(end - size, size - EntryHeaderSize).ToArray();
            end -= size;
        }

        return table;
    }

    private static OvmfMetadataSection[] ParseMetadata(string name, byte[] data, byte[] entry)
    {
        if (entry.Length < 4)
        {
            throw new MeasurementException($"firmware {name}: SEV metadata table entry is {entry.Length} bytes, expected 4");
        }

        var offsetFromEnd = BinaryPrimitives.ReadUInt32LittleEndian(entry);
        var start = data.Length - (long)offsetFromEnd;
        if (offsetFromEnd < MetadataHeaderSize || start < 0 || start + MetadataHeaderSize > data.Length)
        {
            throw new MeasurementException($"firmware {name}: SEV metadata offset {offsetFromEnd} from the end lies outside the image");
        }

        var header = data.AsSpan((int)start);
        if (!header[..4].SequenceEqual("ASEV"u8))
        {
            throw new MeasurementException($"firmware {name}: SEV metadata signature is not 'ASEV'");
        }

        var version = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (version != 1)
        {
            throw new MeasurementException($"firmware {name}: SEV metadata version {version}; only version 1 is known");
        }

        var count = BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
        if (MetadataHeaderSize + ((long)count * MetadataItemSize) > header.Length)
        {
            throw new MeasurementException($"firmware {name}: SEV metadata declares {count} sections, more than the image holds");
        }

        var sections = new OvmfMetadataSection[count];
        for (var i = 0; i < count; i++)
        {
            var item = header.Slice(MetadataHeaderSize + (i * MetadataItemSize), MetadataItemSize);
            var type = BinaryPrimitives.ReadUInt32LittleEndian(item[8..]);
            if (!Enum.IsDefined((OvmfSectionType)type))
            {
                throw new MeasurementException($"firmware {name}: SEV metadata section {i} has unknown type {type}");
            }

            sections[i] = new OvmfMetadataSection(BinaryPrimitives.ReadUInt32LittleEndian(item), BinaryPrimitives.ReadUInt32LittleEndian(item[4..]), (OvmfSectionType)type);
        }

        return sections;
    }
}
