namespace Sealpod.Rpc.Ttrpc;

/// <summary>What a server handler knows about the call it is serving.</summary>
public sealed class TtrpcServerCallContext
{
    // Only the server creates contexts (with an object initializer: the properties' internal init accessors), so
    // handlers cannot forge one; a primary constructor would have to be public.
    internal TtrpcServerCallContext()
    {
    }

    public string Service { get; internal init; } = string.Empty;

    public string Method { get; internal init; } = string.Empty;

    public uint StreamId { get; internal init; }

    /// <summary>The request metadata exactly as received (empty when none was sent).</summary>
    public TtrpcMetadata Metadata
    {
        get => field ?? new TtrpcMetadata();
        internal init;
    }

    /// <summary>When the client's <c>timeout_nano</c> runs out; null when it set none.</summary>
    public DateTimeOffset? Deadline { get; internal init; }

    /// <summary>The peer's SO_PEERCRED, for connections over unix sockets.</summary>
    public UnixPeerCredentials? PeerCredentials { get; internal init; }

    /// <summary>Cancelled when the deadline passes or the connection closes.</summary>
    public CancellationToken CancellationToken { get; internal init; }
}
