namespace Sealpod.Tee.PreAttestation;

/// <summary>The steps of SEV pre-attestation, in order; a failure names the one it happened in.</summary>
public enum PreAttestationStep
{
    /// <summary>Reading <c>sev_cert_chain</c>.</summary>
    ReadCertificateChain,

    /// <summary>simple-kbs GetBundle.</summary>
    GetBundle,

    /// <summary>Writing the launch session files QEMU reads.</summary>
    WriteSessionFiles,

    /// <summary>QMP <c>query-sev-launch-measure</c>.</summary>
    QueryLaunchMeasure,

    /// <summary>QMP <c>query-sev</c>.</summary>
    QuerySev,

    /// <summary>Computing the expected launch digest from firmware, kernel, initrd and command line.</summary>
    ComputeLaunchDigest,

    /// <summary>simple-kbs GetSecret.</summary>
    GetSecret,

    /// <summary>QMP <c>sev-inject-launch-secret</c>.</summary>
    InjectSecret,

    /// <summary>QMP <c>cont</c>.</summary>
    Resume,
}
