namespace Sealpod.Agent.Network;

/// <summary>
/// A route the runtime asks for (UpdateRoutes): <paramref name="Destination"/> null is the default route;
/// <paramref name="Device"/> is a link name in the guest (after UpdateInterface renamed it); <paramref name="Scope"/>
/// is the rtnetlink scope (0 universe, 253 link).
/// </summary>
internal sealed record GuestRoute(
    AddressFamily Family,
    GuestAddress? Destination,
    IPAddress? Gateway,
    string? Device,
    IPAddress? Source,
    byte Scope);
