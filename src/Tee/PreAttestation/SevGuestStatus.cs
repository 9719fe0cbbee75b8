namespace Sealpod.Tee.PreAttestation;

/// <summary>QMP <c>query-sev</c>: the SEV firmware version and the guest's launch state, which the key broker checks.</summary>
/// <param name="ApiMajor">PSP firmware API major version.</param>
/// <param name="ApiMinor">PSP firmware API minor version.</param>
/// <param name="BuildId">PSP firmware build.</param>
/// <param name="Policy">The guest policy the PSP launched with.</param>
/// <param name="State">QEMU's launch state, for example <c>launch-secret</c>.</param>
public readonly record struct SevGuestStatus(uint ApiMajor, uint ApiMinor, uint BuildId, uint Policy, string State);
