namespace Sealpod.Tee.PreAttestation;

/// <summary>
/// SEV pre-attestation with simple-kbs, resolved from the CCv0 keys: where the key broker is, which secret to ask for
/// and how long each gRPC call may take.
/// </summary>
public sealed record SevPreAttestationSettings
{
    /// <summary>The secret type online_sev_kbc consumes.</summary>
    public const string ConnectionSecretType = "connection";

    /// <summary>The secret type offline_sev_kbc consumes.</summary>
    public const string BundleSecretType = "bundle";

    /// <summary>The key broker, host:port (<c>guest_pre_attestation_kbs_uri</c>).</summary>
    public required string KbsAddress { get; init; }

    /// <summary><c>guest_pre_attestation_kbs_mode</c>.</summary>
    public KbsMode Mode { get; init; } = KbsMode.Online;

    /// <summary>The keyset simple-kbs releases (<c>guest_pre_attestation_keyset</c>).</summary>
    public string Keyset { get; init; } = "KEYSET-1";

    /// <summary>Deadline of each gRPC call (<c>guest_pre_attestation_grpc_timeout</c>).</summary>
    public TimeSpan GrpcTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The SEV launch policy the bundle is made for (<c>sev_guest_policy</c>).</summary>
    public required uint Policy { get; init; }

    /// <summary>The platform certificate chain file (<c>sev_cert_chain</c>, from <c>sevctl export --full</c>).</summary>
    public required string CertChainPath { get; init; }

    /// <summary>The secret-table entry to request.</summary>
    public required Guid SecretGuid { get; init; }

    /// <summary>The simple-kbs secret type to request.</summary>
    public required string SecretType { get; init; }

    /// <summary>
    /// The <c>agent.aa_kbc_params</c> the guest needs: the injected connection secret is only useful to online_sev_kbc,
    /// which must be told where the key broker is. Null for an offline bundle.
    /// </summary>
    public string? AaKbcParams => SecretType == ConnectionSecretType ? $"online_sev_kbc::{KbsAddress}" : null;

    /// <summary>
    /// From <c>[hypervisor.qemu]</c>: the secret GUID and type follow the mode (online = connection, offline = bundle)
    /// unless <c>guest_pre_attestation_secret_guid</c>/<c>_type</c> name them, as the CoCo SEV guide's edits do.
    /// </summary>
    public static SevPreAttestationSettings From(QemuConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var type = config.GuestPreAttestationSecretType.Length > 0
            ? config.GuestPreAttestationSecretType
            : config.GuestPreAttestationKbsMode == KbsMode.Online ? ConnectionSecretType : BundleSecretType;
        var guid = config.GuestPreAttestationSecretGuid.Length > 0
            ? Guid.Parse(config.GuestPreAttestationSecretGuid)
            : type == ConnectionSecretType ? SevSecretGuids.Online : SevSecretGuids.Offline;
        return new SevPreAttestationSettings
        {
            KbsAddress = config.GuestPreAttestationKbsUri,
            Mode = config.GuestPreAttestationKbsMode,
            Keyset = config.GuestPreAttestationKeyset,
            GrpcTimeout = config.GuestPreAttestationGrpcTimeout,
            Policy = config.SevGuestPolicy,
            CertChainPath = config.SevCertChain,
            SecretGuid = guid,
            SecretType = type,
        };
    }
}
