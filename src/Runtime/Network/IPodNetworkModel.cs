namespace Sealpod.Runtime.Network;

/// <summary>How the VM is joined to the pod's network namespace (Kata's <c>internetworking_model</c>).</summary>
public interface IPodNetworkModel
{
    /// <summary>Scans the namespace at <paramref name="namespacePath"/> and wires one guest NIC per pod interface.</summary>
    Task<AttachedPodNetwork> AttachAsync(string namespacePath, CancellationToken cancellationToken);

    /// <summary>Removes what <see cref="AttachAsync"/> added; safe to repeat, and a namespace already gone is done.</summary>
    Task DetachAsync(string namespacePath, IReadOnlyList<TapPair> pairs, CancellationToken cancellationToken);
}
