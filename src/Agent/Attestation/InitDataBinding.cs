namespace Sealpod.Agent.Attestation;

/// <summary>
/// The check that ties the Init-Data disk to the hardware. The host writes the disk and, separately, tells the TEE the
/// digest (SEV-SNP HOST_DATA, TDX MRCONFIGID: the digest fitted to the field, as <see cref="InitDataDigest.Fit"/>
/// does); a verifier trusts the report, so a guest that ran with another document than the report names would run
/// under configuration nobody attested. A host that swaps the disk, or removes it while binding a digest, is caught here.
/// </summary>
internal static class InitDataBinding
{
    /// <summary>Checks <paramref name="document"/> against <paramref name="report"/>; returns what was checked, for the log.</summary>
    /// <param name="report">The TEE report, or null when the guest has none.</param>
    /// <param name="document">The Init-Data from the disk, or null without a disk.</param>
    /// <param name="confidential">Whether this is a confidential guest (without one, the host can change anything anyway).</param>
    /// <exception cref="InitDataBindingException">The digests differ; a digest is bound but there is no disk; or a confidential guest has Init-Data and no report to check it against.</exception>
    public static string Verify(TeeReport? report, InitDataDocument? document, bool confidential)
    {
        if (report is null)
        {
            if (document is not null && confidential)
            {
                // SEV, SEV-ES and SE cannot bind Init-Data and the runtime refuses it for them; a confidential guest that
                // has some anyway cannot tell whether it is the attested one.
                throw new InitDataBindingException(
                    "an Init-Data disk is present in a confidential guest, but there is no TEE report (configfs-tsm, /dev/sev-guest, /dev/tdx_guest) to check its digest against");
            }

            return confidential ? "no TEE report and no Init-Data: nothing is bound" : "not a confidential guest: Init-Data is not bound to hardware";
        }

        var bound = report.BoundData.AsSpan();
        if (document is null)
        {
            if (!report.IsBoundDataZero)
            {
                throw new InitDataBindingException(
                    $"the {report.Tee} report ({report.Origin}) carries {report.Field} {Convert.ToHexStringLower(bound)}, but no Init-Data disk is present");
            }

            return $"no Init-Data, and the {report.Tee} report's {report.Field} is zero";
        }

        var expected = document.Digest.Fit(bound.Length);
        if (!CryptographicOperations.FixedTimeEquals(expected, bound))
        {
            throw new InitDataBindingException(
                $"the Init-Data digest {document.Digest} fitted to {report.Field}'s {bound.Length} bytes is {Convert.ToHexStringLower(expected)}, but the {report.Tee} report ({report.Origin}) carries {report.Field} {Convert.ToHexStringLower(bound)}");
        }

        return $"Init-Data digest {document.Digest} matches the {report.Tee} report's {report.Field}";
    }
}
