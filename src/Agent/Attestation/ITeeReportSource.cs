namespace Sealpod.Agent.Attestation;

/// <summary>Where the agent gets a TEE report from: the guest's configfs-tsm or TEE device; a test's blobs.</summary>
internal interface ITeeReportSource
{
    /// <summary>A fresh report carrying <paramref name="reportData"/> (64 bytes), or null when the guest has no report interface.</summary>
    /// <exception cref="TeeReportException">The interface exists but did not give a report.</exception>
    Task<RawTeeReport?> ReadAsync(ReadOnlyMemory<byte> reportData, CancellationToken cancellationToken);
}
