namespace Sealpod.Agent.Attestation;

/// <summary>A report blob as the guest's TEE interface returned it, before parsing.</summary>
/// <param name="Format">Its layout.</param>
/// <param name="Bytes">The blob.</param>
/// <param name="Origin">Where it came from (a path), for messages.</param>
internal sealed record RawTeeReport(TeeReportFormat Format, byte[] Bytes, string Origin);
