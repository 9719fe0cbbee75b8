namespace Sealpod.Vmm;

/// <summary>How the host reaches the guest agent.</summary>
public enum AgentTransport
{
    /// <summary>vsock when the host has /dev/vhost-vsock, otherwise a virtio-serial port.</summary>
    Auto,

    /// <summary>vhost-vsock, the agent on vsock port 1024 (Kata's production transport).</summary>
    Vsock,

    /// <summary>
    /// A virtio-serial port backed by a unix socket on the host, for hosts without vhost-vsock
    /// (like this development machine). One stream, so the client multiplexes ttrpc over it.
    /// </summary>
    VirtioSerial,
}
