using System.Net.NetworkInformation;

namespace Sealpod.Runtime.Tests.Network;

/// <summary>
/// The tcfilter model against real namespaces: the pod's holds what a CNI plugin leaves (a veth with addresses,
/// routes and a static neighbour), its peer sits in a second namespace. Checked with iproute2, as an operator would.
/// </summary>
[Trait("Category", "Root")]
public sealed class TcFilterNetworkTests : IDisposable
{
    private readonly VethNamespaces _namespaces = new(n =>
    {
        n.Pod.IpIn("addr", "add", "10.77.0.2/24", "dev", "eth0");
        n.Pod.IpIn("addr", "add", "fd00:77::2/64", "dev", "eth0", "nodad");
        n.Pod.IpIn("route", "add", "default", "via", "10.77.0.1", "dev", "eth0");
        n.Pod.IpIn("neigh", "add", "10.77.0.1", "lladdr", "02:42:ac:11:00:01", "dev", "eth0", "nud", "permanent");
        n.Outside.IpIn("link", "set", "peer0", "up");
    });

    private TestNamespace Pod => _namespaces.Pod;

    private TestNamespace Outside => _namespaces.Outside;

    public void Dispose() => _namespaces.Dispose();

    [Fact]
    public async Task Attach_scans_the_pod_wires_a_tap_both_ways_and_detach_removes_it_all_twice_over()
    {
        var model = PodNetworkModels.For(InternetworkingModel.TcFilter);

        using var attached = await model.AttachAsync(Pod.Path, CancellationToken.None);

        var pod = Assert.Single(attached.Network.Interfaces);
        Assert.Equal(("eth0", "veth", 1450), (pod.Name, pod.Kind, pod.Mtu));
        Assert.Equal(PhysicalAddress.Parse("02-42-AC-11-00-07"), pod.HardwareAddress);
        Assert.Equal(["10.77.0.2/24", "fd00:77::2/64"], pod.Addresses.Select(address => address.ToString()).Order(StringComparer.Ordinal));
        Assert.Contains(new PodRoute(AddressFamily.InterNetwork, null, 0, IPAddress.Parse("10.77.0.1"), "eth0", null, 0), attached.Network.Routes);
        Assert.DoesNotContain(attached.Network.Routes, route => route.Destination?.IsIPv6LinkLocal ?? false);
        Assert.Equal([new PodNeighbour(IPAddress.Parse("10.77.0.1"), PhysicalAddress.Parse("02-42-AC-11-00-01"), "eth0")], attached.Network.Neighbours);

        var endpoint = Assert.Single(attached.Endpoints);
        Assert.Equal(new TapPair("eth0", "tap0_kata"), endpoint.Pair);
        Assert.Contains("mtu 1450", Pod.IpIn("-o", "link", "show", "tap0_kata"));
        Assert.Contains("mirred (Egress Redirect to device tap0_kata) stolen", Pod.Tc("filter", "show", "dev", "eth0", "ingress"));
        Assert.Contains("mirred (Egress Redirect to device eth0) stolen", Pod.Tc("filter", "show", "dev", "tap0_kata", "ingress"));

        // The descriptor is still open here, as QEMU's would be: teardown must not depend on it closing.
        await model.DetachAsync(Pod.Path, attached.Pairs, CancellationToken.None);
        await model.DetachAsync(Pod.Path, attached.Pairs, CancellationToken.None);

        Assert.DoesNotContain("tap0_kata", Pod.IpIn("-o", "link", "show"));
        Assert.DoesNotContain("ingress", Pod.Tc("qdisc", "show", "dev", "eth0"));
        Assert.Empty(Pod.Tc("filter", "show", "dev", "eth0", "ingress").Trim());
    }

    [Fact]
    public async Task A_failure_halfway_removes_what_was_added_and_leaves_what_was_there()
    {
        Pod.IpIn("link", "add", "eth1", "type", "veth", "peer", "name", "peer1", "netns", Outside.Name);
        // A leftover multi-queue tap under the second tap's name: opening it single-queue is refused (EINVAL).
        Pod.IpIn("tuntap", "add", "tap1_kata", "mode", "tap", "multi_queue");

        await Assert.ThrowsAnyAsync<IOException>(() => new TcFilterNetwork().AttachAsync(Pod.Path, CancellationToken.None));

        Assert.DoesNotContain("tap0_kata", Pod.IpIn("-o", "link", "show"));
        Assert.Contains("tap1_kata", Pod.IpIn("-o", "link", "show"));
        Assert.DoesNotContain("ingress", Pod.Tc("qdisc", "show", "dev", "eth0"));
    }

    [Fact]
    public async Task An_interface_with_an_ingress_qdisc_already_is_refused_before_anything_changes()
    {
        Pod.Tc("qdisc", "add", "dev", "eth0", "ingress");

        var error = await Assert.ThrowsAsync<FailedPreconditionException>(() => new TcFilterNetwork().AttachAsync(Pod.Path, CancellationToken.None));

        Assert.Equal($"pod network {Pod.Path}: interface eth0 already has an ingress qdisc; the tcfilter model needs it free", error.Message);
        Assert.DoesNotContain("tap0_kata", Pod.IpIn("-o", "link", "show"));
        Assert.Contains("ingress", Pod.Tc("qdisc", "show", "dev", "eth0"));
    }

    [Fact]
    public async Task Detaching_from_a_namespace_that_is_gone_is_done()
    {
        await new TcFilterNetwork().DetachAsync("/var/run/netns/sp-gone-already", [new TapPair("eth0", "tap0_kata")], CancellationToken.None);
    }

    [Fact]
    public async Task The_none_model_adds_nothing_and_macvtap_is_refused_by_name()
    {
        using var attached = await PodNetworkModels.For(InternetworkingModel.None).AttachAsync(Pod.Path, CancellationToken.None);

        Assert.Empty(attached.Endpoints);
        Assert.DoesNotContain("ingress", Pod.Tc("qdisc", "show", "dev", "eth0"));
        var error = Assert.Throws<UnimplementedException>(() => PodNetworkModels.For(InternetworkingModel.MacVtap));
        Assert.Equal("runtime.internetworking_model: \"macvtap\" is not supported by Sealpod; expected \"tcfilter\" (the default) or \"none\"", error.Message);
    }
}
