namespace Sealpod.Rpc.Ttrpc;

/// <summary>
/// What a <see cref="TtrpcConnection"/> reports to its owner (the client or a server connection).
/// All calls come from the receive loop, one at a time, and must not block: the next frame waits.
/// </summary>
internal interface ITtrpcFrameHandler
{
    /// <summary>A complete frame; <paramref name="payload"/> is only valid during the call.</summary>
    void OnFrame(in TtrpcFrameHeader header, in ReadOnlySequence<byte> payload);

    /// <summary>A frame over the size limit whose payload the connection is skipping.</summary>
    void OnOversizedFrame(in TtrpcFrameHeader header);

    /// <summary>The connection closed, locally or remotely; called exactly once.</summary>
    void OnClosed(Exception? error);
}
