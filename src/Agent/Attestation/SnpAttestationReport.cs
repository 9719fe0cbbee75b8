namespace Sealpod.Agent.Attestation;

/// <summary>
/// The AMD SEV-SNP ATTESTATION_REPORT (SEV Secure Nested Paging Firmware ABI Specification, table "ATTESTATION_REPORT
/// Structure"): 0x4A0 bytes, little-endian. HOST_DATA is what the host passed to SNP_LAUNCH_FINISH (QEMU
/// <c>host-data</c>, Cloud Hypervisor <c>host_data</c>); the guest cannot change it afterwards.
/// </summary>
internal static class SnpAttestationReport
{
    /// <summary>The whole report, signature included.</summary>
    public const int Size = 0x4A0;

    /// <summary>VERSION, 4 bytes.</summary>
    public const int VersionOffset = 0x00;

    /// <summary>REPORT_DATA, 64 bytes: what the guest asked the report to carry.</summary>
    public const int ReportDataOffset = 0x50;

    /// <summary>MEASUREMENT, 48 bytes: the launch digest.</summary>
    public const int MeasurementOffset = 0x90;

    /// <summary>HOST_DATA, 32 bytes.</summary>
    public const int HostDataOffset = 0xC0;

    /// <summary>HOST_DATA's length.</summary>
    public const int HostDataSize = 32;

    // Version 2 is the first the SNP firmware released; 3 (Genoa and later firmware) and 5 only add fields after HOST_DATA.
    private const uint FirstVersion = 2;

    /// <summary>Takes HOST_DATA from a report.</summary>
    /// <exception cref="TeeReportException">Too short, or a version this layout does not describe.</exception>
    public static TeeReport Parse(ReadOnlySpan<byte> report, string origin)
    {
        if (report.Length < Size)
        {
            throw new TeeReportException($"{origin}: expected an SEV-SNP attestation report of {Size} bytes, found {report.Length}");
        }

        var version = BinaryPrimitives.ReadUInt32LittleEndian(report[VersionOffset..]);
        if (version < FirstVersion)
        {
            throw new TeeReportException($"{origin}: expected an SEV-SNP attestation report of version {FirstVersion} or later, found version {version}");
        }

        return new TeeReport("SEV-SNP", "HOST_DATA", [.. report.Slice(HostDataOffset, HostDataSize)], [.. report.Slice(ReportDataOffset, 64)], origin);
    }
}
