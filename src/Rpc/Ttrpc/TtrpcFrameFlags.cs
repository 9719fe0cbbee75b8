namespace Sealpod.Rpc.Ttrpc;

/// <summary>The flags byte of a ttrpc frame header (ttrpc 1.2; always 0 on unary calls).</summary>
[Flags]
public enum TtrpcFrameFlags : byte
{
    None = 0,

    /// <summary>The sender sends no more frames on this stream.</summary>
    RemoteClosed = 0x01,

    /// <summary>On a Request: the client will follow with Data frames.</summary>
    RemoteOpen = 0x02,

    /// <summary>On a Data frame: the frame carries no message (as opposed to an empty one).</summary>
    NoData = 0x04,
}
