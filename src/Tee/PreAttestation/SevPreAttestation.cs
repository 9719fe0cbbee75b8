using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sealpod.Rpc;
using Sealpod.Tee.Launch;
using Sealpod.Tee.Measurement;

namespace Sealpod.Tee.PreAttestation;

/// <summary>
/// SEV pre-attestation with simple-kbs (Kata CCv0): the key broker checks the guest's launch measurement before the
/// guest runs and only then releases a secret, which QEMU injects into guest memory through the PSP.
/// <list type="number">
/// <item><see cref="StartSessionAsync"/>: GetBundle with the platform certificate chain and the policy; the guest
/// owner's DH certificate and the session blob become the files the paused VM is started with.</item>
/// <item>The driver starts QEMU paused (<c>-S</c>) with <c>sev-guest,dh-cert-file=..,session-file=..,kernel-hashes=on</c>.</item>
/// <item><see cref="AttestAsync"/>: query-sev-launch-measure and query-sev; the expected digest from firmware, kernel,
/// initrd and command line; GetSecret; sev-inject-launch-secret; cont.</item>
/// </list>
/// Each failure is a <see cref="PreAttestationException"/> naming its step; the caller stops the VM. Secrets are
/// never logged.
/// </summary>
public sealed partial class SevPreAttestation
{
    /// <summary>QEMU's <c>dh-cert-file</c>.</summary>
    public const string DhCertFileName = "godh.b64";

    /// <summary>QEMU's <c>session-file</c>.</summary>
    public const string SessionFileName = "session_file.b64";

    /// <summary>Format of the requested secret: the attestation agent's SEV clients read JSON.</summary>
    public const string SecretFormat = "json";

    /// <summary>
    /// The digest the key broker checks the PSP's measurement against. With policy bit 2 (SEV-ES) the PSP also measures
    /// one VMSA per boot vCPU, so the plain SEV digest would never match and the secret would be refused.
    /// </summary>
    internal static Task<byte[]> ExpectedDigestAsync(SevMeasuredBoot boot, uint policy, CancellationToken cancellationToken) =>
        (policy & SevLaunch.EsPolicyBit) == 0
            ? SevLaunchDigest.ComputeAsync(boot.Firmware, boot.Kernel, boot.Initrd, boot.CommandLine, cancellationToken)
            : LaunchMeasurement.ComputeAsync(
                new MeasurementInputs
                {
                    Mode = MeasurementMode.SevEs,
                    Firmware = boot.Firmware,
                    Kernel = boot.Kernel,
                    Initrd = boot.Initrd,
                    CommandLine = boot.CommandLine,
                    Vcpus = boot.Vcpus,
                    VcpuSignature = boot.VcpuSignature,
                },
                cancellationToken);

    private readonly SevPreAttestationSettings _settings;
    private readonly ISimpleKbs _kbs;
    private readonly ILogger _logger;

    /// <summary>Creates the flow for one launch.</summary>
    public SevPreAttestation(SevPreAttestationSettings settings, ISimpleKbs kbs, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(kbs);
        _settings = settings;
        _kbs = kbs;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Asks the key broker for a launch session and writes its files into <paramref name="directory"/>.</summary>
    /// <exception cref="PreAttestationException">Reading the chain, GetBundle or writing the files failed.</exception>
    public async Task<SevLaunchSession> StartSessionAsync(string directory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        byte[] chain;
        try
        {
            chain = await File.ReadAllBytesAsync(_settings.CertChainPath, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PreAttestationException(PreAttestationStep.ReadCertificateChain, $"{_settings.CertChainPath}: {e.Message} (export it with `sevctl export --full {_settings.CertChainPath}`)", e);
        }

        if (chain.Length == 0)
        {
            throw new PreAttestationException(PreAttestationStep.ReadCertificateChain, $"{_settings.CertChainPath} is empty (export it with `sevctl export --full {_settings.CertChainPath}`)");
        }

        LogRequestingBundle(_logger, _settings.KbsAddress, _settings.Policy);
        var request = new BundleRequest { CertificateChain = Convert.ToBase64String(chain), Policy = _settings.Policy };
        var bundle = await CallAsync(PreAttestationStep.GetBundle, () => _kbs.GetBundleAsync(request, _settings.GrpcTimeout, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (bundle.GuestOwnerPublicKey.Length == 0 || bundle.LaunchBlob.Length == 0 || bundle.LaunchId.Length == 0)
        {
            throw new PreAttestationException(PreAttestationStep.GetBundle, $"{_settings.KbsAddress} answered without {(bundle.LaunchId.Length == 0 ? "LaunchId" : bundle.LaunchBlob.Length == 0 ? "LaunchBlob" : "GuestOwnerPublicKey")}");
        }

        var session = new SevLaunchSession(bundle.LaunchId, Path.Combine(directory, DhCertFileName), Path.Combine(directory, SessionFileName));
        try
        {
            Directory.CreateDirectory(directory);
            await WriteAsync(session.DhCertFile, bundle.GuestOwnerPublicKey, cancellationToken).ConfigureAwait(false);
            await WriteAsync(session.SessionFile, bundle.LaunchBlob, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            session.DeleteFiles();
            throw new PreAttestationException(PreAttestationStep.WriteSessionFiles, $"{directory}: {e.Message}", e);
        }

        LogSessionReady(_logger, bundle.LaunchId);
        return session;
    }

    /// <summary>Attests the paused guest, injects the released secret and lets the guest run.</summary>
    /// <param name="vm">The paused VM.</param>
    /// <param name="session">The session the VM was started with.</param>
    /// <param name="boot">What the VM was started with, for the expected digest.</param>
    /// <param name="launchDescription">A label the key broker records with the launch (the sandbox id).</param>
    /// <exception cref="PreAttestationException">A step failed; the VM has not been resumed unless the last step failed.</exception>
    public async Task AttestAsync(ISevLaunchControl vm, SevLaunchSession session, SevMeasuredBoot boot, string launchDescription, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(vm);
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(boot);
        var measurement = await StepAsync(PreAttestationStep.QueryLaunchMeasure, () => vm.QueryLaunchMeasureAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
        if (measurement.Length == 0)
        {
            throw new PreAttestationException(PreAttestationStep.QueryLaunchMeasure, "QEMU returned an empty measurement");
        }

        var status = await StepAsync(PreAttestationStep.QuerySev, () => vm.QuerySevAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
        var digest = await StepAsync(
            PreAttestationStep.ComputeLaunchDigest,
            () => ExpectedDigestAsync(boot, _settings.Policy, cancellationToken),
            cancellationToken).ConfigureAwait(false);

        LogRequestingSecret(_logger, session.LaunchId, _settings.SecretType, _settings.SecretGuid, status.ApiMajor, status.ApiMinor, status.BuildId);
        var request = new SecretRequest
        {
            LaunchMeasurement = measurement,
            LaunchId = session.LaunchId,
            Policy = _settings.Policy,
            ApiMajor = status.ApiMajor,
            ApiMinor = status.ApiMinor,
            BuildId = status.BuildId,
            FwDigest = Convert.ToBase64String(digest),
            LaunchDescription = launchDescription,
            SecretRequests =
            {
                new RequestDetails { Guid = _settings.SecretGuid.ToString("D"), Format = SecretFormat, SecretType = _settings.SecretType, Id = _settings.Keyset },
            },
        };
        var response = await CallAsync(PreAttestationStep.GetSecret, () => _kbs.GetSecretAsync(request, _settings.GrpcTimeout, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (response.LaunchSecretHeader.Length == 0 || response.LaunchSecretData.Length == 0)
        {
            throw new PreAttestationException(PreAttestationStep.GetSecret, $"{_settings.KbsAddress} released no secret (empty {(response.LaunchSecretHeader.Length == 0 ? "LaunchSecretHeader" : "LaunchSecretData")})");
        }

        var secret = new SevLaunchSecret(response.LaunchSecretHeader, response.LaunchSecretData);
        await StepAsync(PreAttestationStep.InjectSecret, async () => { await vm.InjectLaunchSecretAsync(secret, cancellationToken).ConfigureAwait(false); return true; }, cancellationToken).ConfigureAwait(false);
        await StepAsync(PreAttestationStep.Resume, async () => { await vm.ResumeAsync(cancellationToken).ConfigureAwait(false); return true; }, cancellationToken).ConfigureAwait(false);
        LogAttested(_logger, session.LaunchId);
    }

    private static async Task WriteAsync(string path, string base64, CancellationToken cancellationToken)
    {
        var options = PrivateFiles.ForWriting(FileMode.Create);
        var stream = new FileStream(path, options);
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(base64), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<T> CallAsync<T>(PreAttestationStep step, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw new PreAttestationException(step, $"{_settings.KbsAddress} answered {e.StatusCode}: {e.Message}", e);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new PreAttestationException(step, $"{_settings.KbsAddress}: {e.Message}", e);
        }
    }

    private static async Task<T> StepAsync<T>(PreAttestationStep step, Func<Task<T>> action, CancellationToken cancellationToken)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (PreAttestationException)
        {
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new PreAttestationException(step, e.Message, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SEV pre-attestation: requesting a launch bundle from {Kbs} for policy 0x{Policy:x}")]
    private static partial void LogRequestingBundle(ILogger logger, string kbs, uint policy);

    [LoggerMessage(Level = LogLevel.Information, Message = "SEV pre-attestation: launch {LaunchId} session ready")]
    private static partial void LogSessionReady(ILogger logger, string launchId);

    [LoggerMessage(Level = LogLevel.Information, Message = "SEV pre-attestation: requesting the {SecretType} secret {SecretGuid} for launch {LaunchId} (firmware API {ApiMajor}.{ApiMinor} build {BuildId})")]
    private static partial void LogRequestingSecret(ILogger logger, string launchId, string secretType, Guid secretGuid, uint apiMajor, uint apiMinor, uint buildId);

    [LoggerMessage(Level = LogLevel.Information, Message = "SEV pre-attestation: launch {LaunchId} attested, secret injected, guest resumed")]
    private static partial void LogAttested(ILogger logger, string launchId);
}
