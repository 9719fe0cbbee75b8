using Sealpod.Contract.Agent;

namespace Sealpod.Vmm;

/// <summary>
/// The agent behind a virtio-serial port: connect to the host unix socket QEMU listens on; the
/// guest sees the other end as /dev/virtio-ports/<paramref name="PortName"/>. The socket accepts
/// one client at a time and a reconnect does not reset the guest side.
/// </summary>
public sealed record VirtioSerialAgentEndpoint(string SocketPath, string PortName) : AgentEndpoint
{
    /// <summary>The port name the guest agent opens.</summary>
    public const string DefaultPortName = AgentChannel.SerialPortName;

    /// <inheritdoc />
    public override string ToString() => $"unix://{SocketPath} (virtio-serial {PortName})";
}
