namespace Sealpod.Runtime.Network;

/// <summary><c>internetworking_model = "none"</c>: the VM gets no NIC and nothing in the namespace changes.</summary>
public sealed class NoPodNetwork : IPodNetworkModel
{
    public Task<AttachedPodNetwork> AttachAsync(string namespacePath, CancellationToken cancellationToken) =>
        Task.FromResult(new AttachedPodNetwork(namespacePath, PodNetwork.Empty, []));

    public Task DetachAsync(string namespacePath, IReadOnlyList<TapPair> pairs, CancellationToken cancellationToken) => Task.CompletedTask;
}
