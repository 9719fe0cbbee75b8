namespace Sealpod.Runtime.Network;

/// <summary>
/// What CNI left in a pod's network namespace, as the guest must reproduce it: the interfaces with their
/// addresses, the routes through them and the static neighbours. Empty for a pod without networking.
/// </summary>
public sealed record PodNetwork(IReadOnlyList<PodInterface> Interfaces, IReadOnlyList<PodRoute> Routes, IReadOnlyList<PodNeighbour> Neighbours)
{
    public static PodNetwork Empty { get; } = new([], [], []);
}
