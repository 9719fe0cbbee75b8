namespace Sealpod.Agent.Attestation;

/// <summary>
/// TDX reports through the tdx-guest driver (include/uapi/linux/tdx-guest.h), for kernels without configfs-tsm:
/// TDX_CMD_GET_REPORT0 takes 64 bytes of report data and returns the 1024-byte TDREPORT_STRUCT, which carries
/// MRCONFIGID as the quote would (a TDREPORT is MAC'd for this platform only, which is enough for the guest's own check).
/// </summary>
/// <param name="devicePath">The tdx-guest device.</param>
internal sealed class TdxGuestDeviceReportSource(string devicePath) : GuestDeviceReportSource(devicePath, TeeReportFormat.TdReport)
{
    /// <summary>Where the tdx-guest driver puts its device.</summary>
    public const string DefaultPath = "/dev/tdx_guest";

    // struct tdx_report_req: reportdata[64], tdreport[1024].
    private const int RequestSize = 64 + TdReport.Size;

    // _IOWR('T', 1, struct tdx_report_req)
    internal static readonly nuint GetReport0 = LibC.IoctlNumber(3, 'T', 1, RequestSize);

    /// <inheritdoc />
    protected override unsafe byte[] Request(ReadOnlySpan<byte> reportData)
    {
        var request = new byte[RequestSize];
        reportData.CopyTo(request);
        using var device = File.OpenHandle(DevicePath, FileMode.Open, FileAccess.ReadWrite);
        fixed (byte* arg = request)
        {
            if (LibC.Ioctl((int)device.DangerousGetHandle(), GetReport0, (nint)arg) != 0)
            {
                throw new TeeReportException($"{DevicePath}: TDX_CMD_GET_REPORT0 failed: errno {Marshal.GetLastPInvokeError()}");
            }
        }

        return request.AsSpan(64).ToArray();
    }
}
