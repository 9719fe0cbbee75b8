namespace Sealpod.Tee.Measurement;

/// <summary>Which AMD launch measurement is computed (sev-snp-measure's <c>--mode sev|seves|snp</c>).</summary>
public enum MeasurementMode
{
    /// <summary>SEV: SHA-256 over the firmware (and the kernel hashes table).</summary>
    Sev,

    /// <summary>SEV-ES: SEV's digest continued over one VMSA page per vCPU.</summary>
    SevEs,

    /// <summary>SEV-SNP: the 48-byte SHA-384 page-info chain of SNP_LAUNCH_UPDATE.</summary>
    SevSnp,
}

/// <summary>The mode names sev-snp-measure accepts, and the ones Sealpod prints.</summary>
public static class MeasurementModes
{
    /// <summary>Parses <c>sev</c>, <c>seves</c>/<c>sev-es</c>, <c>snp</c>/<c>sev-snp</c> (any case).</summary>
    public static MeasurementMode? Parse(string text) => text.ToLowerInvariant() switch
    {
        "sev" => MeasurementMode.Sev,
        "seves" or "sev-es" => MeasurementMode.SevEs,
        "snp" or "sev-snp" => MeasurementMode.SevSnp,
        _ => null,
    };

    /// <summary>The TEE's name as the rest of Sealpod writes it.</summary>
    public static string Describe(this MeasurementMode mode) => mode switch
    {
        MeasurementMode.Sev => "SEV",
        MeasurementMode.SevEs => "SEV-ES",
        _ => "SEV-SNP",
    };
}
