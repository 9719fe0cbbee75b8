using Sealpod.Contract.Agent;

namespace Sealpod.AgentClient.Transport;

/// <summary>Where the guest agent can be reached. The hypervisor driver decides which kind it offers.</summary>
public abstract record AgentEndpoint
{
    /// <summary>The Kata agent's ttrpc port on vsock (kata-types default.rs).</summary>
    public const uint DefaultAgentPort = AgentChannel.VsockPort;

    private protected AgentEndpoint()
    {
    }

    /// <summary>Kata's address spelling, for logs and error messages.</summary>
    public abstract string Address { get; }

    public override string ToString() => Address;
}

/// <summary>AF_VSOCK to a guest context id (QEMU with vhost-vsock-pci).</summary>
public sealed record VsockEndpoint(uint ContextId, uint Port = AgentEndpoint.DefaultAgentPort) : AgentEndpoint
{
    public override string Address => $"vsock://{ContextId}:{Port}";
}

/// <summary>
/// Hybrid vsock: a unix socket in front of the guest's vsock (Cloud Hypervisor, Firecracker). The host
/// writes <c>CONNECT port\n</c> and reads <c>OK hostport\n</c> before the stream carries ttrpc.
/// </summary>
public sealed record HybridVsockEndpoint(string SocketPath, uint Port = AgentEndpoint.DefaultAgentPort) : AgentEndpoint
{
    public override string Address => $"hvsock://{SocketPath}:{Port}";
}

/// <summary>
/// A virtio-serial port whose host side is a QEMU unix-socket chardev. Used where the host has no
/// vhost-vsock: the guest agent serves ttrpc on /dev/virtio-ports/agent.channel.0.
/// </summary>
public sealed record SerialEndpoint(string SocketPath) : AgentEndpoint
{
    /// <summary>The virtserialport name the guest agent looks for.</summary>
    public const string PortName = AgentChannel.SerialPortName;

    public override string Address => $"serial://{SocketPath}";
}
