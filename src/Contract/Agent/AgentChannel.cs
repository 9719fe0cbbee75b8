namespace Sealpod.Contract.Agent;

/// <summary>Where the guest agent serves ttrpc and where the host dials it (Kata's values).</summary>
public static class AgentChannel
{
    /// <summary>The agent's AF_VSOCK port.</summary>
    public const uint VsockPort = 1024;

    /// <summary>The virtio-serial port name, when the guest has no vsock.</summary>
    public const string SerialPortName = "agent.channel.0";

    /// <summary>Where the guest kernel exposes <see cref="SerialPortName"/>.</summary>
    public const string SerialDevicePath = "/dev/virtio-ports/" + SerialPortName;
}
