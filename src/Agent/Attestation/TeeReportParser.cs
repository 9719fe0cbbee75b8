namespace Sealpod.Agent.Attestation;

/// <summary>One entry point for every report layout, so each source and each test goes through the same parsing.</summary>
internal static class TeeReportParser
{
    /// <summary>Parses <paramref name="raw"/> by its format.</summary>
    /// <exception cref="TeeReportException">The blob does not have its format's layout.</exception>
    public static TeeReport Parse(RawTeeReport raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        return raw.Format switch
        {
            TeeReportFormat.SnpAttestationReport => SnpAttestationReport.Parse(raw.Bytes, raw.Origin),
            TeeReportFormat.TdxQuote => TdxQuote.Parse(raw.Bytes, raw.Origin),
            TeeReportFormat.TdReport => TdReport.Parse(raw.Bytes, raw.Origin),
            _ => throw new ArgumentOutOfRangeException(nameof(raw), raw.Format, "unknown report format"),
        };
    }
}
