namespace Sealpod.Agent.Attestation;

/// <summary>
/// SEV-SNP reports through <c>/dev/sev-guest</c> (the sev-guest driver, include/uapi/linux/sev-guest.h), for kernels
/// without configfs-tsm: the SNP_GET_REPORT ioctl sends MSG_REPORT_REQ (report data, VMPL 0) to the PSP and returns
/// MSG_REPORT_RSP, whose status and size precede the report at offset 0x20.
/// </summary>
/// <param name="devicePath">The sev-guest device.</param>
internal sealed class SevGuestDeviceReportSource(string devicePath) : GuestDeviceReportSource(devicePath, TeeReportFormat.SnpAttestationReport)
{
    /// <summary>Where the sev-guest driver puts its device.</summary>
    public const string DefaultPath = "/dev/sev-guest";

    // struct snp_guest_request_ioctl: msg_version (u8, padded to 8), req_data, resp_data, exitinfo2 (u64 each).
    private const int RequestIoctlSize = 32;

    // struct snp_report_req: user_data[64], vmpl (u32), rsvd[28].
    private const int ReportRequestSize = 96;

    // struct snp_report_resp: data[4000].
    private const int ReportResponseSize = 4000;

    private const int ResponseReportOffset = 0x20;

    // _IOWR('S', 0x0, struct snp_guest_request_ioctl)
    internal static readonly nuint SnpGetReport = LibC.IoctlNumber(3, 'S', 0, RequestIoctlSize);

    /// <inheritdoc />
    protected override unsafe byte[] Request(ReadOnlySpan<byte> reportData)
    {
        var request = new byte[ReportRequestSize];
        reportData.CopyTo(request);
        var response = new byte[ReportResponseSize];
        var ioctl = new byte[RequestIoctlSize];
        using var device = File.OpenHandle(DevicePath, FileMode.Open, FileAccess.ReadWrite);
        fixed (byte* req = request)
        fixed (byte* resp = response)
        fixed (byte* arg = ioctl)
        {
            arg[0] = 1; // msg_version
            BinaryPrimitives.WriteUInt64LittleEndian(ioctl.AsSpan(8), (ulong)req);
            BinaryPrimitives.WriteUInt64LittleEndian(ioctl.AsSpan(16), (ulong)resp);
            if (LibC.Ioctl((int)device.DangerousGetHandle(), SnpGetReport, (nint)arg) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                var firmware = BinaryPrimitives.ReadUInt32LittleEndian(ioctl.AsSpan(24));
                throw new TeeReportException($"{DevicePath}: SNP_GET_REPORT failed: errno {errno}, firmware error 0x{firmware:x}");
            }
        }

        var status = BinaryPrimitives.ReadUInt32LittleEndian(response);
        var size = BinaryPrimitives.ReadUInt32LittleEndian(response.AsSpan(4));
        if (status != 0 || size > ReportResponseSize - ResponseReportOffset)
        {
            throw new TeeReportException($"{DevicePath}: MSG_REPORT_RSP status 0x{status:x}, report size {size}");
        }

        return response.AsSpan(ResponseReportOffset, (int)size).ToArray();
    }
}
