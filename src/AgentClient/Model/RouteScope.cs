namespace Sealpod.AgentClient.Model;

/// <summary>A route's rtnetlink scope: reachable through a gateway (universe), directly on the link, or this host.</summary>
public enum RouteScope : byte
{
    Universe = 0,
    Link = 253,
    Host = 254,
}
