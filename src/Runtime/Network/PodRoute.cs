namespace Sealpod.Runtime.Network;

/// <summary>
/// A route of the pod's main table through one of its interfaces (named, since the guest's indexes differ).
/// <paramref name="Destination"/> null is the default route; <paramref name="Scope"/> 253 is on-link.
/// </summary>
public sealed record PodRoute(AddressFamily Family, IPAddress? Destination, int PrefixLength, IPAddress? Gateway, string Device, IPAddress? Source, byte Scope);
