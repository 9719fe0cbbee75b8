using System.Net.NetworkInformation;

namespace Sealpod.Vmm;

/// <summary>
/// One guest NIC backed by a host tap (Kata's tcfilter model): the tap's queue descriptor, opened by the runtime in the
/// pod's network namespace and handed to the hypervisor (the hypervisor never enters the namespace), and what the
/// guest device carries: the pod interface's MAC, so the rest of the pod network sees the same station.
/// </summary>
public sealed record VmNetworkInterface
{
    /// <summary>The device id ("net0"); letters, digits, '-' and '_'.</summary>
    public required string Id { get; init; }

    /// <summary>The tap's name in the pod's namespace (tap0_kata), for logs and errors.</summary>
    public required string TapName { get; init; }

    /// <summary>The tap queue descriptors (/dev/net/tun after TUNSETIFF), one per queue; the caller keeps them open until the VM started.</summary>
    public required IReadOnlyList<SafeHandle> TapQueues { get; init; }

    /// <summary>The guest NIC's MAC: the pod interface's.</summary>
    public required PhysicalAddress MacAddress { get; init; }

    /// <summary>The pod interface's MTU (the agent sets it in the guest); 0 when unknown.</summary>
    public int Mtu { get; init; }

    /// <summary>Whether vhost-net may serve the queues; the driver uses it only where /dev/vhost-net exists.</summary>
    public bool Vhost { get; init; } = true;

    /// <summary>How many queues (one per descriptor in <see cref="TapQueues"/>).</summary>
    public int Queues => TapQueues.Count;

    /// <summary>The MAC as QEMU and the agent write it: lower-case, colon-separated.</summary>
    public string MacText => string.Join(':', MacAddress.GetAddressBytes().Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Throws <see cref="ArgumentException"/> naming the field when the NIC is unusable.</summary>
    public void Validate()
    {
        if (Id.Length is 0 or > 32 || !Id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new ArgumentException($"network interface id '{Id}' is invalid: expected 1-32 letters, digits, '-' or '_'", nameof(Id));
        }

        if (MacAddress.GetAddressBytes() is not { Length: 6 } mac || (mac[0] & 1) != 0)
        {
            throw new ArgumentException($"network interface {Id}: MAC '{MacText}' is not a 6-byte unicast address", nameof(MacAddress));
        }

        if (Mtu is not 0 and (< 68 or > 65535))
        {
            throw new ArgumentException($"network interface {Id}: MTU {Mtu} is out of range: expected 68-65535 (or 0 for unknown)", nameof(Mtu));
        }

        if (TapQueues.Count != 1)
        {
            throw new ArgumentException($"network interface {Id}: {TapQueues.Count} tap queues given; expected exactly 1 (multi-queue taps are not supported yet)", nameof(TapQueues));
        }

        if (TapQueues.Any(queue => queue is null || queue.IsInvalid || queue.IsClosed))
        {
            throw new ArgumentException($"network interface {Id}: the descriptor of tap {TapName} is closed or invalid", nameof(TapQueues));
        }
    }
}
