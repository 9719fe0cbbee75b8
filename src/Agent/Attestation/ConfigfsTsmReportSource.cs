namespace Sealpod.Agent.Attestation;

/// <summary>
/// Reports through configfs-tsm (Linux 6.7+, Documentation/ABI/testing/configfs-tsm): a directory made under
/// <c>/sys/kernel/config/tsm/report</c> gets <c>inblob</c> (the 64 bytes of report data), <c>provider</c> and
/// <c>outblob</c>. The <c>sev_guest</c> provider returns the raw SNP ATTESTATION_REPORT; <c>tdx_guest</c> returns a quote.
/// </summary>
/// <param name="reportRoot">The configfs-tsm report directory.</param>
internal sealed class ConfigfsTsmReportSource(string reportRoot) : ITeeReportSource
{
    /// <summary>Where configfs-tsm offers reports.</summary>
    public const string DefaultRoot = "/sys/kernel/config/tsm/report";

    /// <inheritdoc />
    public async Task<RawTeeReport?> ReadAsync(ReadOnlyMemory<byte> reportData, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(reportRoot))
        {
            return null;
        }

        // configfs-tsm serialises writers per entry, not across entries: a name of our own keeps another reader's inblob out.
        var entry = Path.Combine(reportRoot, "sealpod-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
        try
        {
            Directory.CreateDirectory(entry);
            await File.WriteAllBytesAsync(Path.Combine(entry, "inblob"), reportData, cancellationToken).ConfigureAwait(false);
            var provider = (await File.ReadAllTextAsync(Path.Combine(entry, "provider"), cancellationToken).ConfigureAwait(false)).Trim();
            var format = provider switch
            {
                "sev_guest" => TeeReportFormat.SnpAttestationReport,
                "tdx_guest" => TeeReportFormat.TdxQuote,
                _ => throw new TeeReportException($"{entry}/provider: expected sev_guest or tdx_guest, found \"{provider}\""),
            };
            var outblob = Path.Combine(entry, "outblob");
            return new RawTeeReport(format, await File.ReadAllBytesAsync(outblob, cancellationToken).ConfigureAwait(false), outblob);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TeeReportException($"{entry}: {e.Message}", e);
        }
        finally
        {
            // rmdir: configfs removes an entry with its attribute files; the report holds no resources after.
            if (Directory.Exists(entry))
            {
                Directory.Delete(entry);
            }
        }
    }
}
