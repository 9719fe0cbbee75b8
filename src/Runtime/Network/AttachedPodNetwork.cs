namespace Sealpod.Runtime.Network;

/// <summary>
/// A pod network wired for the VM: what was scanned and one endpoint per interface. Disposing closes this
/// process's tap descriptors (the taps go once QEMU's copies close too); <see cref="IPodNetworkModel.DetachAsync"/>
/// removes the wiring itself.
/// </summary>
public sealed class AttachedPodNetwork : IDisposable
{
    public AttachedPodNetwork(string namespacePath, PodNetwork network, IReadOnlyList<PodNetworkEndpoint> endpoints)
    {
        NamespacePath = namespacePath;
        Network = network;
        Endpoints = endpoints;
    }

    public string NamespacePath { get; }

    public PodNetwork Network { get; }

    public IReadOnlyList<PodNetworkEndpoint> Endpoints { get; }

    public IReadOnlyList<TapPair> Pairs => Endpoints.Select(endpoint => endpoint.Pair).ToList();

    public void Dispose()
    {
        foreach (var endpoint in Endpoints)
        {
            endpoint.Tap.Dispose();
        }
    }
}
