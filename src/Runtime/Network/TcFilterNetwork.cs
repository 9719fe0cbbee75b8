namespace Sealpod.Runtime.Network;

/// <summary>
/// Kata's tcfilter model: inside the pod's namespace, one tap per pod interface (tap0_kata, tap1_kata ...) with
/// the interface's MTU, an ingress qdisc on both and a match-all mirred redirect each way, so every frame the
/// veth receives leaves through the tap to the guest and every frame the guest sends leaves through the veth.
/// The guest NIC carries the veth's MAC, so the rest of the pod network sees the same station as before.
/// </summary>
public sealed class TcFilterNetwork : IPodNetworkModel
{
    public Task<AttachedPodNetwork> AttachAsync(string namespacePath, CancellationToken cancellationToken) =>
        NetworkNamespace.RunAsync(namespacePath, () => Attach(namespacePath), cancellationToken);

    public async Task DetachAsync(string namespacePath, IReadOnlyList<TapPair> pairs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        try
        {
            await NetworkNamespace.RunAsync(namespacePath, () => Detach(pairs), cancellationToken).ConfigureAwait(false);
        }
        catch (SystemCallException error) when (error.Errno == LibC.ENOENT && error.Operation == "open network namespace")
        {
            // The namespace went first (CNI DEL and its unmount): everything in it went with it.
        }
    }

    private static AttachedPodNetwork Attach(string namespacePath)
    {
        using var netlink = RouteNetlink.Open();
        var network = NetworkScanner.Scan(netlink);
        foreach (var pod in network.Interfaces)
        {
            // Refused before anything changes: removing it on failure or at teardown would take someone else's filters.
            if (netlink.ListQdiscs(pod.Index).Any(qdisc => qdisc.IsIngress))
            {
                throw new FailedPreconditionException(
                    $"pod network {namespacePath}: interface {pod.Name} already has an ingress qdisc; the tcfilter model needs it free");
            }
        }

        var endpoints = new List<PodNetworkEndpoint>();
        try
        {
            foreach (var (pod, position) in network.Interfaces.Select((pod, position) => (pod, position)))
            {
                var tap = TapDevice.Create($"tap{position}_kata");
                endpoints.Add(new PodNetworkEndpoint(pod, tap));
                var tapIndex = netlink.FindLink(tap.Name)?.Index
                    ?? throw new InvalidOperationException($"tap {tap.Name} is not listed in {namespacePath} right after its creation");
                netlink.SetMtu(tapIndex, pod.Mtu);
                netlink.SetUp(tapIndex, true);
                netlink.AddIngressQdisc(pod.Index);
                netlink.AddIngressQdisc(tapIndex);
                netlink.AddRedirectFilter(pod.Index, tapIndex);
                netlink.AddRedirectFilter(tapIndex, pod.Index);
            }

            return new AttachedPodNetwork(namespacePath, network, endpoints);
        }
        catch
        {
            // Nothing half-wired stays behind: the qdiscs (and their filters) go, and closing the taps removes them.
            Detach(netlink, endpoints.Select(endpoint => endpoint.Pair).ToList());
            foreach (var endpoint in endpoints)
            {
                endpoint.Tap.Dispose();
            }

            throw;
        }
    }

    private static bool Detach(IReadOnlyList<TapPair> pairs)
    {
        using var netlink = RouteNetlink.Open();
        Detach(netlink, pairs);
        return true;
    }

    private static void Detach(RouteNetlink netlink, IReadOnlyList<TapPair> pairs)
    {
        var links = netlink.ListLinks();
        foreach (var pair in pairs)
        {
            if (links.FirstOrDefault(link => link.Name == pair.Interface) is { } pod)
            {
                netlink.DeleteIngressQdisc(pod.Index);
            }

            // Deleting the tap takes its qdisc and filters along, even while QEMU still holds the descriptor.
            if (links.FirstOrDefault(link => link.Name == pair.Tap && link.Kind == "tun") is { } tap)
            {
                try
                {
                    netlink.DeleteLink(tap.Index);
                }
                catch (NetlinkException error) when (error.Errno == LibC.ENODEV)
                {
                    // Its last descriptor closed meanwhile.
                }
            }
        }
    }
}
