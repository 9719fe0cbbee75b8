namespace Sealpod.AgentClient.Model;

/// <summary>
/// A route the guest should have (UpdateRoutes replaces the guest's with the list): <see cref="Destination"/> null
/// is the default route of <see cref="Family"/>; <see cref="Device"/> is the guest link name (as UpdateInterface named it).
/// </summary>
public sealed record GuestRoute
{
    public required AddressFamily Family { get; init; }

    public IpPrefix? Destination { get; init; }

    public IPAddress? Gateway { get; init; }

    public string? Device { get; init; }

    public IPAddress? Source { get; init; }

    public RouteScope Scope { get; init; }
}
