namespace Sealpod.Tee.Launch;

/// <summary>
/// The TDX Quote Generation Service endpoint (QEMU's <c>quote-generation-socket</c>, a QAPI <c>SocketAddress</c>). Kata's
/// rule from <c>tdx_quote_generation_service_socket_port</c>: 0 means the local QGS unix socket when it exists, else vsock
/// CID 2 port 4050; any other value is vsock CID 2 on that port.
/// </summary>
public abstract record QuoteGenerationSocket
{
    /// <summary>Where a QGS installed on the host listens.</summary>
    public const string DefaultUnixPath = "/var/run/tdx-qgs/qgs.socket";

    /// <summary>QGS's vsock port.</summary>
    public const uint DefaultVsockPort = 4050;

    /// <summary>The host's vsock CID.</summary>
    public const uint HostCid = 2;
}
