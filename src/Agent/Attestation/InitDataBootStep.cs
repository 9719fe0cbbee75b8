using Sealpod.Agent.InitData;

namespace Sealpod.Agent.Attestation;

/// <summary>
/// The agent's Init-Data boot step, before anything is served: load the disk, check it against the TEE report, put its
/// policy in force. Any failure powers the guest off with the reason on the console: serving without the Init-Data the
/// hardware names would run the pod under configuration nobody attested, and hanging would leave the host waiting out
/// its dial timeout.
/// </summary>
/// <param name="loader">Finds and loads the Init-Data disk.</param>
/// <param name="reports">The guest's TEE report interface (read only in a confidential guest).</param>
/// <param name="confidential">Whether this is a confidential guest.</param>
/// <param name="policy">Where the document's policy goes.</param>
/// <param name="powerOff">Ends the VM (the agent as PID 1 powers off; tests record the call).</param>
/// <param name="log">Where the outcome and the reason for a failure go.</param>
internal sealed class InitDataBootStep(InitDataLoader loader, ITeeReportSource reports, bool confidential, PolicyEnforcer policy, Action powerOff, ILogger log)
{
    /// <summary>Runs the step; false when it failed, after <c>powerOff</c> was called.</summary>
    public async Task<bool> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            var document = await loader.LoadAsync(cancellationToken).ConfigureAwait(false);
            var report = confidential ? await ReadReportAsync(cancellationToken).ConfigureAwait(false) : null;
            log.LogInformation("Init-Data binding: {Outcome}", InitDataBinding.Verify(report, document, confidential));
            InitDataPolicy.Apply(document, policy);
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException and not OperationCanceledException)
        {
            log.LogCritical(
                "failing the boot: {Reason}",
                e is InitDataException or PolicyException or InitDataBindingException or TeeReportException ? e.Message : $"reading Init-Data: {e.GetType().Name}: {e.Message}");
            powerOff();
            return false;
        }
    }

    private async Task<TeeReport?> ReadReportAsync(CancellationToken cancellationToken)
    {
        // A fresh nonce: only the bound field matters here, but a report the host replayed would carry another.
        var nonce = RandomNumberGenerator.GetBytes(64);
        var raw = await reports.ReadAsync(nonce, cancellationToken).ConfigureAwait(false);
        if (raw is null)
        {
            return null;
        }

        var report = TeeReportParser.Parse(raw);
        if (!report.ReportData.AsSpan().SequenceEqual(nonce))
        {
            throw new TeeReportException($"{report.Origin}: the {report.Tee} report does not carry the report data the agent asked for: it is not a fresh report");
        }

        return report;
    }
}
