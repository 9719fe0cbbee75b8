namespace Sealpod.Tee.Measurement;

/// <summary>
/// The SEV-SNP launch digest as the PSP accumulates it over SNP_LAUNCH_UPDATE: for every page,
/// LD = SHA-384(PAGE_INFO), PAGE_INFO being the previous LD, the page's contents hash, its length (0x70), page type,
/// IMI flag, VMPL permissions and guest-physical address (SEV-SNP firmware ABI, "PAGE_INFO").
/// </summary>
public sealed class SnpLaunchDigest
{
    /// <summary>The digest's size: SHA-384.</summary>
    public const int Size = 48;

    /// <summary>
    /// VMSA pages are recorded at GPA (u64)-1, page-aligned with the bits above 51 cleared.
    /// </summary>
    public const ulong VmsaGpa = 0xFFFF_FFFF_F000;

    private const int PageSize = 4096;
    private const int PageInfoSize = 0x70;

    private readonly byte[] _digest;

    /// <summary>Starts a chain from zeros, or from a precomputed digest (sev-snp-measure's <c>--snp-ovmf-hash</c>).</summary>
    public SnpLaunchDigest(ReadOnlySpan<byte> seed = default)
    {
        if (!seed.IsEmpty && seed.Length != Size)
        {
            throw new MeasurementException($"an SNP digest is {Size} bytes, not {seed.Length}");
        }

        _digest = seed.IsEmpty ? new byte[Size] : seed.ToArray();
    }

    /// <summary>The digest so far.</summary>
    public byte[] Digest => (byte[])_digest.Clone();

    /// <summary>Measures <paramref name="data"/> as normal pages from <paramref name="gpa"/>.</summary>
    public void NormalPages(ulong gpa, ReadOnlySpan<byte> data)
    {
        RequirePages(data.Length);
        for (var offset = 0; offset < data.Length; offset += PageSize)
        {
            Update(SnpPageType.Normal, gpa + (ulong)offset, SHA384.HashData(data.Slice(offset, PageSize)));
        }
    }

    /// <summary>Measures zero pages.</summary>
    public void ZeroPages(ulong gpa, uint length) => EmptyPages(SnpPageType.Zero, gpa, length);

    /// <summary>Measures the secrets page.</summary>
    public void SecretsPage(ulong gpa) => Update(SnpPageType.Secrets, gpa, new byte[Size]);

    /// <summary>Measures the CPUID page.</summary>
    public void CpuidPage(ulong gpa) => Update(SnpPageType.Cpuid, gpa, new byte[Size]);

    /// <summary>Measures one vCPU's VMSA page.</summary>
    public void VmsaPage(ReadOnlySpan<byte> page)
    {
        if (page.Length != PageSize)
        {
            throw new MeasurementException($"a VMSA is one page, not {page.Length} bytes");
        }

        Update(SnpPageType.Vmsa, VmsaGpa, SHA384.HashData(page));
    }

    private void EmptyPages(SnpPageType type, ulong gpa, uint length)
    {
        RequirePages(length);
        for (var offset = 0u; offset < length; offset += PageSize)
        {
            Update(type, gpa + offset, new byte[Size]);
        }
    }

    private void Update(SnpPageType type, ulong gpa, ReadOnlySpan<byte> contents)
    {
        Span<byte> info = stackalloc byte[PageInfoSize];
        info.Clear();
        _digest.CopyTo(info);
        contents.CopyTo(info[Size..]);
        BinaryPrimitives.WriteUInt16LittleEndian(info[0x60..], PageInfoSize);
        info[0x62] = (byte)type;

        // 0x63 IS_IMI and 0x64..0x66 the VMPL3..1 permissions stay zero: a launch measurement, not an import.
        BinaryPrimitives.WriteUInt64LittleEndian(info[0x68..], gpa);
        SHA384.HashData(info, _digest);
    }

    private static void RequirePages(long length)
    {
        if (length % PageSize != 0)
        {
            throw new MeasurementException($"SNP measures whole 4 KiB pages; {length} bytes is not a multiple of 4096");
        }
    }
}
