namespace Sealpod.Tee.PreAttestation;

/// <summary>SEV pre-attestation failed; <see cref="Step"/> says where. The message never contains secret material.</summary>
public sealed class PreAttestationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PreAttestationException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public PreAttestationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public PreAttestationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a failed step.</summary>
    public PreAttestationException(PreAttestationStep step, string problem, Exception? innerException = null)
        : base($"SEV pre-attestation failed at {Describe(step)}: {problem}", innerException)
    {
        Step = step;
    }

    /// <summary>The step that failed.</summary>
    public PreAttestationStep Step { get; }

    /// <summary>The step's name in messages.</summary>
    public static string Describe(PreAttestationStep step) => step switch
    {
        PreAttestationStep.ReadCertificateChain => "reading the SEV certificate chain (sev_cert_chain)",
        PreAttestationStep.GetBundle => "key broker GetBundle",
        PreAttestationStep.WriteSessionFiles => "writing the launch session files",
        PreAttestationStep.QueryLaunchMeasure => "QMP query-sev-launch-measure",
        PreAttestationStep.QuerySev => "QMP query-sev",
        PreAttestationStep.ComputeLaunchDigest => "computing the expected launch digest",
        PreAttestationStep.GetSecret => "key broker GetSecret",
        PreAttestationStep.InjectSecret => "QMP sev-inject-launch-secret",
        PreAttestationStep.Resume => "QMP cont",
        _ => step.ToString(),
    };
}
