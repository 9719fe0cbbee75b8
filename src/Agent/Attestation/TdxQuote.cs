namespace Sealpod.Agent.Attestation;

/// <summary>
/// An Intel TDX quote as configfs-tsm returns it (Intel TDX DCAP Quoting Library API, "Quote Format"): a 48-byte header,
/// then (version 5 only) a body type and size, then the TD quote body, whose MRCONFIGID follows TEE_TCB_SVN (16),
/// MRSEAM (48), MRSIGNERSEAM (48), SEAMATTRIBUTES (8), TDATTRIBUTES (8), XFAM (8) and MRTD (48): body offset 184.
/// MRCONFIGID is what the host passed at TD creation (QEMU <c>mrconfigid</c>).
/// </summary>
internal static class TdxQuote
{
    /// <summary>The quote header's length.</summary>
    public const int HeaderSize = 48;

    /// <summary>Version 5 puts a body type (2 bytes) and body size (4 bytes) between header and body.</summary>
    public const int V5BodyDescriptorSize = 6;

    /// <summary>MRCONFIGID's offset in the TD quote body.</summary>
    public const int BodyMrConfigIdOffset = 184;

    /// <summary>REPORTDATA's offset in the TD quote body, after MROWNER, MROWNERCONFIG and RTMR0-3 (48 bytes each).</summary>
    public const int BodyReportDataOffset = 520;

    /// <summary>MRCONFIGID's length.</summary>
    public const int MrConfigIdSize = 48;

    /// <summary>The header's TEE type for TDX (0x00 is SGX).</summary>
    public const uint TdxTeeType = 0x81;

    // The TD 1.0 body is 584 bytes; TD 1.5 (v5 type 3) appends to it, leaving the fields before unchanged.
    private const int Td10BodySize = 584;

    /// <summary>Takes MRCONFIGID from a quote.</summary>
    /// <exception cref="TeeReportException">Too short, not a TDX quote, or a version this layout does not describe.</exception>
    public static TeeReport Parse(ReadOnlySpan<byte> quote, string origin)
    {
        if (quote.Length < HeaderSize)
        {
            throw new TeeReportException($"{origin}: expected a TDX quote, found {quote.Length} bytes (less than its {HeaderSize}-byte header)");
        }

        var version = BinaryPrimitives.ReadUInt16LittleEndian(quote);
        var teeType = BinaryPrimitives.ReadUInt32LittleEndian(quote[4..]);
        if (teeType != TdxTeeType)
        {
            throw new TeeReportException($"{origin}: expected a TDX quote (TEE type 0x81), found TEE type 0x{teeType:x}");
        }

        var body = version switch
        {
            4 => HeaderSize,
            5 => HeaderSize + V5BodyDescriptorSize,
            _ => throw new TeeReportException($"{origin}: expected a TDX quote of version 4 or 5, found version {version}"),
        };
        if (quote.Length < body + Td10BodySize)
        {
            throw new TeeReportException($"{origin}: TDX quote version {version} of {quote.Length} bytes ends before its TD quote body does ({body + Td10BodySize} bytes)");
        }

        return new TeeReport("TDX", "MRCONFIGID", [.. quote.Slice(body + BodyMrConfigIdOffset, MrConfigIdSize)], [.. quote.Slice(body + BodyReportDataOffset, 64)], origin);
    }
}
