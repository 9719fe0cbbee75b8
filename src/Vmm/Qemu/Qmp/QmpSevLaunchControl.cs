namespace Sealpod.Vmm.Qemu.Qmp;

/// <summary>
/// The pre-attestation steps on a QEMU started paused with an SEV launch session: QMP <c>query-sev-launch-measure</c>,
/// <c>query-sev</c>, <c>sev-inject-launch-secret</c> and <c>cont</c> (qapi/misc-target.json). Each command is bounded by
/// the driver's command timeout.
/// </summary>
internal sealed class QmpSevLaunchControl(QmpClient qmp, TimeSpan commandTimeout) : ISevLaunchControl
{
    public async Task<string> QueryLaunchMeasureAsync(CancellationToken cancellationToken = default)
    {
        var reply = await RunAsync("query-sev-launch-measure", ct => qmp.ExecuteAsync("query-sev-launch-measure", ct), cancellationToken).ConfigureAwait(false);
        return reply.ValueKind == JsonValueKind.Object && reply.TryGetProperty("data", out var data) && data.GetString() is { } measurement
            ? measurement
            : throw new QmpException("query-sev-launch-measure answered without a data member");
    }

    public async Task<SevGuestStatus> QuerySevAsync(CancellationToken cancellationToken = default)
    {
        var reply = await RunAsync("query-sev", ct => qmp.ExecuteAsync("query-sev", ct), cancellationToken).ConfigureAwait(false);
        try
        {
            return new SevGuestStatus(
                reply.GetProperty("api-major").GetUInt32(),
                reply.GetProperty("api-minor").GetUInt32(),
                reply.GetProperty("build-id").GetUInt32(),
                reply.GetProperty("policy").GetUInt32(),
                reply.TryGetProperty("state", out var state) ? state.GetString() ?? string.Empty : string.Empty);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new QmpException($"query-sev answered without the firmware version and policy: {e.Message}", e);
        }
    }

    public Task InjectLaunchSecretAsync(SevLaunchSecret secret, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var arguments = new SevInjectLaunchSecretArguments { PacketHeader = secret.PacketHeader, Secret = secret.Secret };
        return RunAsync(
            "sev-inject-launch-secret",
            ct => qmp.ExecuteAsync("sev-inject-launch-secret", arguments, QmpJsonContext.Default.SevInjectLaunchSecretArguments, ct),
            cancellationToken);
    }

    public Task ResumeAsync(CancellationToken cancellationToken = default) =>
        RunAsync("cont", async ct => { await qmp.ContinueAsync(ct).ConfigureAwait(false); return default; }, cancellationToken);

    private async Task<JsonElement> RunAsync(string command, Func<CancellationToken, Task<JsonElement>> run, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(commandTimeout);
        try
        {
            return await run(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"QMP {command} did not answer within {commandTimeout.TotalSeconds:0.#} s");
        }
    }
}
