namespace Sealpod.Runtime.Network;

/// <summary>A pod interface and the tap joined to it; what teardown needs, even from a restarted shim.</summary>
public sealed record TapPair(string Interface, string Tap);
