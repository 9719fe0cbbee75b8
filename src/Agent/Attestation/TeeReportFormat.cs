namespace Sealpod.Agent.Attestation;

/// <summary>Which layout a report blob from the guest's TEE interface has.</summary>
internal enum TeeReportFormat
{
    /// <summary>AMD SEV-SNP ATTESTATION_REPORT (SEV-SNP ABI, "ATTESTATION_REPORT Structure"): HOST_DATA at 0xC0.</summary>
    SnpAttestationReport,

    /// <summary>Intel TDX quote, version 4 or 5 (TDX DCAP Quoting Library API, appendix): MRCONFIGID in the TD quote body.</summary>
    TdxQuote,

    /// <summary>Intel TDX TDREPORT_STRUCT (TDX module ABI, TDG.MR.REPORT): MRCONFIGID in TDINFO_STRUCT.</summary>
    TdReport,
}
