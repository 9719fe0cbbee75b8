namespace Sealpod.TestSupport;

/// <summary>
/// What a CNI plugin leaves for a pod, in two <see cref="TestNamespace"/>s: the pod's, holding eth0 (MTU 1450, MAC
/// <see cref="PodMac"/>, up), and a second one standing in for the host side, holding eth0's veth peer, peer0. The
/// test's own addresses, routes and neighbours go in through the constructor's <c>configure</c>. Disposing deletes
/// both namespaces and everything in them.
/// </summary>
public sealed class VethNamespaces : IDisposable
{
    /// <summary>eth0's MAC address, as iproute2 writes it.</summary>
    public const string PodMac = "02:42:ac:11:00:07";

    /// <summary>Makes both namespaces and the veth between them, then runs <paramref name="configure"/>.</summary>
    /// <param name="configure">The test's addresses, routes, neighbours ... in either namespace.</param>
    /// <param name="ipv6">False turns IPv6 off in both namespaces before the veth exists, so that no router
    /// solicitation or report appears among the frames a test reads.</param>
    public VethNamespaces(Action<VethNamespaces> configure, bool ipv6 = true)
    {
        ArgumentNullException.ThrowIfNull(configure);

        // A test class whose constructor throws is not disposed by xunit: nothing may stay behind then.
        try
        {
            if (!ipv6)
            {
                foreach (var space in new[] { Pod, Outside })
                {
                    space.Exec("sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1");
                    space.Exec("sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1");
                }
            }

            Pod.IpIn("link", "add", "eth0", "mtu", "1450", "address", PodMac, "type", "veth", "peer", "name", "peer0", "netns", Outside.Name);
            Pod.IpIn("link", "set", "eth0", "up");
            configure(this);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The pod's namespace, with eth0.</summary>
    public TestNamespace Pod { get; } = new();

    /// <summary>The host side's namespace, with peer0.</summary>
    public TestNamespace Outside { get; } = new();

    public void Dispose()
    {
        Pod.Dispose();
        Outside.Dispose();
    }
}
