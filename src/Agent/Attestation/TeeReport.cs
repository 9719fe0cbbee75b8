using System.Collections.Immutable;

namespace Sealpod.Agent.Attestation;

/// <summary>
/// What the agent takes from a TEE report: the field the host filled at launch and the hardware copies into every
/// report, which is where the Init-Data digest is bound.
/// </summary>
/// <param name="Tee">"SEV-SNP" or "TDX", for messages.</param>
/// <param name="Field">The field's name in its specification: <c>HOST_DATA</c> or <c>MRCONFIGID</c>.</param>
/// <param name="BoundData">The field's bytes.</param>
/// <param name="ReportData">The 64 bytes the guest asked the report to carry (SNP REPORT_DATA, TDX REPORTDATA).</param>
/// <param name="Origin">Where the report came from.</param>
internal sealed record TeeReport(string Tee, string Field, ImmutableArray<byte> BoundData, ImmutableArray<byte> ReportData, string Origin)
{
    /// <summary>Whether the host left the field empty (all zeros), which is what a launch without Init-Data does.</summary>
    public bool IsBoundDataZero => BoundData.All(b => b == 0);
}
