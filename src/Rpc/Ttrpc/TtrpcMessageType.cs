namespace Sealpod.Rpc.Ttrpc;

/// <summary>The message type byte of a ttrpc frame header.</summary>
public enum TtrpcMessageType : byte
{
    /// <summary>Opens a stream; carries a <c>ttrpc.Request</c> envelope.</summary>
    Request = 0x01,

    /// <summary>Ends a stream; carries a <c>ttrpc.Response</c> envelope.</summary>
    Response = 0x02,

    /// <summary>A raw streamed message (ttrpc 1.2).</summary>
    Data = 0x03,
}
