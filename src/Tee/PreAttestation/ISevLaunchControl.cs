namespace Sealpod.Tee.PreAttestation;

/// <summary>
/// The VMM operations pre-attestation needs on a guest started paused with its launch session (QEMU: QMP commands on
/// a VM started with <c>-S</c> and <c>sev-guest,dh-cert-file=..,session-file=..</c>).
/// </summary>
public interface ISevLaunchControl
{
    /// <summary>QMP <c>query-sev-launch-measure</c>: the PSP's base64 launch measurement.</summary>
    Task<string> QueryLaunchMeasureAsync(CancellationToken cancellationToken = default);

    /// <summary>QMP <c>query-sev</c>.</summary>
    Task<SevGuestStatus> QuerySevAsync(CancellationToken cancellationToken = default);

    /// <summary>QMP <c>sev-inject-launch-secret</c>.</summary>
    Task InjectLaunchSecretAsync(SevLaunchSecret secret, CancellationToken cancellationToken = default);

    /// <summary>QMP <c>cont</c>: lets the guest run.</summary>
    Task ResumeAsync(CancellationToken cancellationToken = default);
}
