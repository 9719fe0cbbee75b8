using System.Text;

namespace Sealpod.Linux.Tests.Netlink;

/// <summary>
/// Kata's tcfilter model end to end: the pod's namespace holds a veth (eth0) whose peer sits in a second
/// namespace standing in for the host's bridge side; a tap in the pod's namespace is joined to eth0 by ingress
/// qdiscs and mirred redirect filters both ways. The test reads and writes the tap descriptor where QEMU would.
/// </summary>
[Trait("Category", "Root")]
public sealed class TapRedirectTests : IDisposable
{
    private static readonly PhysicalAddress PodMac = PhysicalAddress.Parse(VethNamespaces.PodMac);
    private static readonly IPAddress PodIp = IPAddress.Parse("10.77.0.2");
    private static readonly IPAddress PeerIp = IPAddress.Parse("10.77.0.1");

    private readonly VethNamespaces _namespaces = new(
        n =>
        {
            n.Outside.IpIn("addr", "add", $"{PeerIp}/24", "dev", "peer0");
            n.Outside.IpIn("link", "set", "peer0", "up");
            n.Outside.IpIn("neigh", "add", PodIp.ToString(), "lladdr", VethNamespaces.PodMac, "dev", "peer0", "nud", "permanent");
        },
        ipv6: false);

    private TestNamespace Pod => _namespaces.Pod;

    private TestNamespace Outside => _namespaces.Outside;

    public void Dispose() => _namespaces.Dispose();

    [Fact]
    public async Task A_tap_is_created_in_the_namespace_takes_MTU_and_MAC_and_goes_when_its_descriptor_closes()
    {
        var (tap, link) = await RouteNetlinkIn.RunAsync(Pod.Path, netlink =>
        {
            var tap = TapDevice.Create("tap0_kata");
            var index = netlink.FindLink(tap.Name)!.Index;
            netlink.SetMtu(index, 1450);
            netlink.SetHardwareAddress(index, PhysicalAddress.Parse("02-00-00-00-0A-01"));
            netlink.SetUp(index, true);
            return (tap, netlink.FindLink(tap.Name)!);
        });

        using (tap)
        {
            Assert.Equal("tap0_kata", tap.Name);
            Assert.Equal("tun", link.Kind);
            Assert.Equal(1450, link.Mtu);
            Assert.Equal(PhysicalAddress.Parse("02-00-00-00-0A-01"), link.HardwareAddress);
            var details = Pod.IpIn("-d", "-o", "link", "show", "tap0_kata");
            Assert.Contains("tun type tap", details);
            Assert.Contains("vnet_hdr on", details);
            Assert.DoesNotContain("persist on", details);
        }

        Assert.DoesNotContain("tap0_kata", Pod.IpIn("-o", "link", "show"));
    }

    [Fact]
    public async Task Redirect_filters_carry_frames_both_ways_and_teardown_removes_them_idempotently()
    {
        var tap = await RouteNetlinkIn.RunAsync(Pod.Path, netlink =>
        {
            var tap = TapDevice.Create("tap0_kata");
            var veth = netlink.FindLink("eth0")!;
            var tapLink = netlink.FindLink(tap.Name)!;
            netlink.SetMtu(tapLink.Index, veth.Mtu);
            netlink.SetUp(tapLink.Index, true);
            netlink.AddIngressQdisc(veth.Index);
            netlink.AddIngressQdisc(tapLink.Index);
            netlink.AddRedirectFilter(veth.Index, tapLink.Index);
            netlink.AddRedirectFilter(tapLink.Index, veth.Index);
            return tap;
        });
        using var _ = tap;

        Assert.Contains("mirred (Egress Redirect to device tap0_kata) stolen", Pod.Tc("filter", "show", "dev", "eth0", "ingress"));
        Assert.Contains("mirred (Egress Redirect to device eth0) stolen", Pod.Tc("filter", "show", "dev", "tap0_kata", "ingress"));

        using var socket = await NetworkNamespace.RunAsync(Outside.Path, () =>
        {
            var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 5000 };
            udp.Bind(new IPEndPoint(PeerIp, 4000));
            return udp;
        });
        var peerMac = PhysicalAddress.Parse(Outside.IpIn("-o", "link", "show", "peer0").Split("link/ether ")[1][..17].Replace(':', '-').ToUpperInvariant());
        var fd = (int)tap.Handle.DangerousGetHandle();

        // Into the pod: what reaches eth0 from outside comes out of the tap, whole.
        socket.SendTo(Encoding.ASCII.GetBytes("to-the-guest"), new IPEndPoint(PodIp, 5000));
        var inbound = TapFrames.ReadUntil(fd, frame => Encoding.ASCII.GetString(frame).EndsWith("to-the-guest", StringComparison.Ordinal), TimeSpan.FromSeconds(5));
        Assert.NotNull(inbound);
        Assert.Equal(PodMac.GetAddressBytes(), inbound[..6]);
        Assert.Equal(peerMac.GetAddressBytes(), inbound[6..12]);

        // Out of the pod: what the guest writes to the tap leaves through eth0 and reaches the outside socket.
        TapFrames.Write(fd, TapFrames.Udp(peerMac.GetAddressBytes(), PodMac.GetAddressBytes(), PodIp, PeerIp, 5000, 4000, Encoding.ASCII.GetBytes("from-the-guest")));
        var received = new byte[64];
        var length = socket.Receive(received);
        Assert.Equal("from-the-guest", Encoding.ASCII.GetString(received, 0, length));
        Assert.Matches(@"Sent \d+ bytes [1-9]\d* pkt", Pod.Tc("-s", "filter", "show", "dev", "tap0_kata", "ingress"));

        var (first, second) = await RouteNetlinkIn.RunAsync(Pod.Path, netlink =>
        {
            var veth = netlink.FindLink("eth0")!.Index;
            var tapIndex = netlink.FindLink("tap0_kata")!.Index;
            var first = (netlink.DeleteIngressQdisc(veth), netlink.DeleteIngressQdisc(tapIndex));
            var second = (netlink.DeleteIngressQdisc(veth), netlink.DeleteIngressQdisc(tapIndex));
            return (first, second);
        });

        Assert.Equal((true, true), first);
        Assert.Equal((false, false), second);
        Assert.DoesNotContain("ingress", Pod.Tc("qdisc", "show", "dev", "eth0"));
        Assert.Empty(Pod.Tc("filter", "show", "dev", "eth0", "ingress").Trim());
        Assert.Empty(Pod.Tc("filter", "show", "dev", "tap0_kata", "ingress").Trim());
    }

    [Fact]
    public async Task A_second_ingress_qdisc_is_refused_with_the_operation_errno_and_kernel_text()
    {
        var error = await RouteNetlinkIn.RunAsync(Pod.Path, netlink =>
        {
            var veth = netlink.FindLink("eth0")!.Index;
            netlink.AddIngressQdisc(veth);
            return Assert.Throws<NetlinkException>(() => netlink.AddIngressQdisc(veth));
        });

        Assert.Equal(17, error.Errno);
        Assert.StartsWith("netlink add ingress qdisc on link ", error.Message);
        Assert.Contains("File exists (errno 17)", error.Message);
        Assert.Single(Pod.Tc("qdisc", "show", "dev", "eth0").Split('\n'), line => line.Contains("ingress", StringComparison.Ordinal));
    }
}
