namespace Sealpod.Agent.Attestation;

/// <summary>
/// The guest's report interface, the newest first: configfs-tsm (SNP and TDX), then <c>/dev/sev-guest</c> and
/// <c>/dev/tdx_guest</c> for kernels older than 6.7. Null from every one means the guest has no report interface (SEV, SEV-ES, SE, no TEE).
/// </summary>
/// <param name="sources">The interfaces in the order tried.</param>
internal sealed class GuestTeeReportSource(IReadOnlyList<ITeeReportSource> sources) : ITeeReportSource
{
    /// <summary>The interfaces under <paramref name="root"/> (the guest's <c>/</c>).</summary>
    public static GuestTeeReportSource Under(string root) => new(
    [
        new ConfigfsTsmReportSource(Path.Join(root, ConfigfsTsmReportSource.DefaultRoot)),
        new SevGuestDeviceReportSource(Path.Join(root, SevGuestDeviceReportSource.DefaultPath)),
        new TdxGuestDeviceReportSource(Path.Join(root, TdxGuestDeviceReportSource.DefaultPath)),
    ]);

    /// <inheritdoc />
    public async Task<RawTeeReport?> ReadAsync(ReadOnlyMemory<byte> reportData, CancellationToken cancellationToken)
    {
        foreach (var source in sources)
        {
            if (await source.ReadAsync(reportData, cancellationToken).ConfigureAwait(false) is { } report)
            {
                return report;
            }
        }

        return null;
    }
}
