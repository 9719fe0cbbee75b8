namespace Sealpod.Rpc.Ttrpc;

/// <summary>What a server handler knows about the call it is serving.</summary>
public sealed class TtrpcServerCallContext
{
    private readonly TtrpcMetadata? _metadata;

    internal TtrpcServerCallContext(
        string service,
        string method,
        uint streamId,
        TtrpcMetadata? metadata,
        DateTimeOffset? deadline,
        UnixPeerCredentials? peer,
        CancellationToken cancellationToken)
    {
        Service = service;
        Method = method;
        StreamId = streamId;
        _metadata = metadata;
        Deadline = deadline;
        PeerCredentials = peer;
        CancellationToken = cancellationToken;
    }

    public string Service { get; }

    public string Method { get; }

    public uint StreamId { get; }

    /// <summary>The request metadata exactly as received (empty when none was sent).</summary>
    public TtrpcMetadata Metadata => _metadata ?? new TtrpcMetadata();

    /// <summary>When the client's <c>timeout_nano</c> runs out; null when it set none.</summary>
    public DateTimeOffset? Deadline { get; }

    /// <summary>The peer's SO_PEERCRED, for connections over unix sockets.</summary>
    public UnixPeerCredentials? PeerCredentials { get; }

    /// <summary>Cancelled when the deadline passes or the connection closes.</summary>
    public CancellationToken CancellationToken { get; }
}
