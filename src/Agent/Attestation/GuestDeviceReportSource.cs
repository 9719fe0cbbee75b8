namespace Sealpod.Agent.Attestation;

/// <summary>
/// A report read through a TEE guest driver's ioctl, for kernels without configfs-tsm: absent when the device is
/// absent, 64 bytes of report data in, the raw report out. Each driver says only how its request is laid out.
/// </summary>
/// <param name="devicePath">The guest driver's device.</param>
/// <param name="format">What the driver returns.</param>
internal abstract class GuestDeviceReportSource(string devicePath, TeeReportFormat format) : ITeeReportSource
{
    protected string DevicePath => devicePath;

    /// <inheritdoc />
    public Task<RawTeeReport?> ReadAsync(ReadOnlyMemory<byte> reportData, CancellationToken cancellationToken)
    {
        if (!File.Exists(devicePath))
        {
            return Task.FromResult<RawTeeReport?>(null);
        }

        if (reportData.Length != 64)
        {
            throw new ArgumentException("report data is 64 bytes", nameof(reportData));
        }

        return Task.FromResult<RawTeeReport?>(new RawTeeReport(format, Request(reportData.Span), devicePath));
    }

    /// <summary>Sends <paramref name="reportData"/> to the driver and returns the report it answers with.</summary>
    protected abstract byte[] Request(ReadOnlySpan<byte> reportData);
}
