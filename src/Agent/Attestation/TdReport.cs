namespace Sealpod.Agent.Attestation;

/// <summary>
/// Intel TDX TDREPORT_STRUCT (Intel TDX Module ABI specification, TDG.MR.REPORT), what <c>/dev/tdx_guest</c> returns:
/// REPORTMACSTRUCT (256 bytes), TEE_TCB_INFO (239), 17 reserved, then TDINFO_STRUCT at 512, in which MRCONFIGID follows
/// ATTRIBUTES (8), XFAM (8) and MRTD (48).
/// </summary>
internal static class TdReport
{
    /// <summary>The whole TDREPORT_STRUCT.</summary>
    public const int Size = 1024;

    /// <summary>REPORTDATA's offset in REPORTMACSTRUCT, after REPORTTYPE (4), reserved (12), CPUSVN (16) and two 48-byte hashes.</summary>
    public const int ReportDataOffset = 128;

    /// <summary>TDINFO_STRUCT's offset.</summary>
    public const int TdInfoOffset = 512;

    /// <summary>MRCONFIGID's offset in TDINFO_STRUCT.</summary>
    public const int TdInfoMrConfigIdOffset = 64;

    /// <summary>MRCONFIGID's length.</summary>
    public const int MrConfigIdSize = 48;

    /// <summary>Takes MRCONFIGID from a TDREPORT.</summary>
    /// <exception cref="TeeReportException">Not the size of a TDREPORT.</exception>
    public static TeeReport Parse(ReadOnlySpan<byte> report, string origin)
    {
        if (report.Length != Size)
        {
            throw new TeeReportException($"{origin}: expected a TDX TDREPORT of {Size} bytes, found {report.Length}");
        }

        return new TeeReport("TDX", "MRCONFIGID", [.. report.Slice(TdInfoOffset + TdInfoMrConfigIdOffset, MrConfigIdSize)], [.. report.Slice(ReportDataOffset, 64)], origin);
    }
}
