namespace Sealpod.Runtime.Network;

/// <summary>
/// One guest NIC: the pod interface it stands for (the virtio-net device takes its MAC and MTU) and the tap
/// whose descriptor QEMU gets.
/// </summary>
public sealed record PodNetworkEndpoint(PodInterface Interface, TapDevice Tap)
{
    public TapPair Pair => new(Interface.Name, Tap.Name);
}
