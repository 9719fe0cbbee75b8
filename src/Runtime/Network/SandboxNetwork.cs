namespace Sealpod.Runtime.Network;

/// <summary>
/// A sandbox's pod network from attach to teardown: the wiring in the pod's namespace (<see cref="IPodNetworkModel"/>),
/// the record of it in the sandbox directory (<see cref="PodNetworkRecord"/>), the guest NICs and what the agent is told.
/// Detaching is idempotent and also works from the record alone, after the shim that attached was killed.
/// </summary>
public sealed class SandboxNetwork
{
    private readonly IPodNetworkModel _model;
    private readonly string _sandboxDirectory;
    private int _detached;

    private SandboxNetwork(IPodNetworkModel model, AttachedPodNetwork attached, string sandboxDirectory)
    {
        _model = model;
        Attached = attached;
        _sandboxDirectory = sandboxDirectory;
        Plan = GuestNetworkPlan.From(attached.Network);
    }

    public AttachedPodNetwork Attached { get; }

    public GuestNetworkPlan Plan { get; }

    /// <summary>
    /// Joins the VM to the namespace at <paramref name="namespacePath"/> with <paramref name="model"/>; null when there is
    /// nothing to join (no namespace path, or <c>internetworking_model = "none"</c>). The record is written before this
    /// returns; if it cannot be, the wiring is undone.
    /// </summary>
    public static async Task<SandboxNetwork?> AttachAsync(string? namespacePath, InternetworkingModel model, string sandboxDirectory, CancellationToken cancellationToken)
    {
        if (namespacePath is null || model == InternetworkingModel.None)
        {
            return null;
        }

        var wiring = PodNetworkModels.For(model);
        var attached = await wiring.AttachAsync(namespacePath, cancellationToken).ConfigureAwait(false);
        try
        {
            new PodNetworkRecord(namespacePath, attached.Pairs).Write(sandboxDirectory);
        }
        catch
        {
            attached.Dispose();
            await wiring.DetachAsync(namespacePath, attached.Pairs, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        return new SandboxNetwork(wiring, attached, sandboxDirectory);
    }

    /// <summary>The guest NICs; vhost-net unless <c>disable_vhost_net</c> is set.</summary>
    public IReadOnlyList<VmNetworkInterface> Nics(HypervisorConfig hypervisor) =>
        GuestNetworkPlan.Nics(Attached, vhost: hypervisor is not QemuConfig { DisableVhostNet: true });

    /// <summary>Closes this process's tap descriptors once the hypervisor holds its own copies.</summary>
    public void ReleaseDescriptors() => Attached.Dispose();

    /// <summary>Removes the taps, qdiscs and filters and the record; repeating it does nothing.</summary>
    public async Task DetachAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _detached, 1) != 0)
        {
            return;
        }

        Attached.Dispose();
        await _model.DetachAsync(Attached.NamespacePath, Attached.Pairs, cancellationToken).ConfigureAwait(false);
        File.Delete(PodNetworkRecord.PathIn(_sandboxDirectory));
    }

    /// <summary>
    /// containerd's <c>delete</c> after a lost shim: removes what the record in <paramref name="sandboxDirectory"/> names
    /// (with the QEMU gone, only the qdiscs on the pod's interfaces, the port-forward rules and any persistent leftovers
    /// remain); no record, no work.
    /// </summary>
    public static async Task<bool> CleanupAsync(string sandboxDirectory, CancellationToken cancellationToken)
    {
        if (PodNetworkRecord.Read(sandboxDirectory) is not { } record)
        {
            return false;
        }

        await new TcFilterNetwork().DetachAsync(record.NamespacePath, record.Pairs, cancellationToken).ConfigureAwait(false);

        // The port-forward relay's rules (its tap went with QEMU); none there is fine.
        await PortForward.LoopbackRedirect.RemoveAsync(record.NamespacePath, cancellationToken).ConfigureAwait(false);
        File.Delete(PodNetworkRecord.PathIn(sandboxDirectory));
        return true;
    }
}
