namespace Sealpod.Runtime.Network.PortForward;

/// <summary>
/// The private point-to-point link the port forwarder reaches the guest over: a tap in the pod's network namespace
/// (<see cref="TapName"/>, <see cref="HostAddress"/>/30) and a guest NIC of its own (<see cref="GuestName"/>,
/// <see cref="GuestAddress"/>/30, a fixed locally administered MAC). It is a plain routed link, not joined to the
/// pod's interfaces: under the tcfilter model the pod's address is local to the namespace, so the guest cannot be
/// reached at it from there, and the guest's replies on the pod's tap are redirected to the veth.
/// </summary>
public sealed class PortForwardLink : IDisposable
{
    /// <summary>The tap's name in the pod's namespace.</summary>
    public const string TapName = "spfwd0";

    /// <summary>The NIC's name in the guest (UpdateInterface renames it, found by <see cref="GuestMac"/>).</summary>
    public const string GuestName = "spfwd0";

    public const int PrefixLength = 30;

    /// <summary>Link-local, away from the addresses CNIs and clouds use (169.254.1.1, 169.254.169.254, Kata's 169.254.0.1).</summary>
    public static readonly IPAddress HostAddress = IPAddress.Parse("169.254.253.1");

    public static readonly IPAddress GuestAddress = IPAddress.Parse("169.254.253.2");

    /// <summary>Locally administered, unicast: no pod interface carries it.</summary>
    public static readonly PhysicalAddress GuestMac = PhysicalAddress.Parse("02-53-50-46-57-01");

    private readonly TapDevice _tap;

    private PortForwardLink(TapDevice tap) => _tap = tap;

    /// <summary>Creates the tap with its address, up, in the namespace at <paramref name="namespacePath"/>; on failure nothing stays.</summary>
    public static Task<PortForwardLink> CreateAsync(string namespacePath, CancellationToken cancellationToken) =>
        NetworkNamespace.RunAsync(namespacePath, () =>
        {
            var tap = TapDevice.Create(TapName);
            try
            {
                using var netlink = RouteNetlink.Open();
                var index = netlink.FindLink(TapName)?.Index
                    ?? throw new InvalidOperationException($"tap {TapName} is not listed in {namespacePath} right after its creation");
                netlink.AddAddress(index, HostAddress, PrefixLength);
                netlink.SetUp(index, true);
                return new PortForwardLink(tap);
            }
            catch
            {
                tap.Dispose(); // a non-persistent tap goes with its last descriptor
                throw;
            }
        }, cancellationToken);

    /// <summary>The guest NIC; last in the VM's list, after the pod's.</summary>
    public VmNetworkInterface Nic(bool vhost) => new()
    {
        Id = "portfwd",
        TapName = TapName,
        TapQueues = [_tap.Handle],
        MacAddress = GuestMac,
        Mtu = 1500,
        Vhost = vhost,
    };

    /// <summary>What UpdateInterface is told: found by MAC, renamed, given its address (the /30 gives the on-link route).</summary>
    public static GuestInterface GuestInterface { get; } = new()
    {
        Name = GuestName,
        HardwareAddress = GuestMac,
        Mtu = 1500,
        Addresses = [new IpPrefix(GuestAddress, PrefixLength)],
    };

    /// <summary>Closes this process's descriptor: the tap goes once the hypervisor's copy closes too.</summary>
    public void Dispose() => _tap.Dispose();
}
