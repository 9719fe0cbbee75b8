namespace Sealpod.Rpc.Ttrpc;

/// <summary>
/// Cuts ttrpc frames out of a byte sequence as it arrives (from a <see cref="System.IO.Pipelines.PipeReader"/>).
/// </summary>
public static class TtrpcFrameReader
{
    /// <summary>
    /// Reads one frame from the front of <paramref name="buffer"/>.
    /// </summary>
    /// <returns>
    /// False when the header or the payload has not fully arrived; <paramref name="buffer"/> is then unchanged.
    /// True otherwise, with <paramref name="buffer"/> advanced past what was read:
    /// <list type="bullet">
    /// <item>normally past the whole frame, with <paramref name="payload"/> a slice of the input;</item>
    /// <item>for an oversized frame (<see cref="TtrpcFrameHeader.IsOversized"/>) past the header only and with an
    /// empty payload, as soon as the header is there: the payload is never buffered, the caller skips
    /// <see cref="TtrpcFrameHeader.Length"/> bytes with <see cref="TrySkip"/> as they arrive.</item>
    /// </list>
    /// </returns>
    public static bool TryReadFrame(ref ReadOnlySequence<byte> buffer, out TtrpcFrameHeader header, out ReadOnlySequence<byte> payload)
    {
        payload = default;
        if (buffer.Length < TtrpcProtocol.HeaderLength)
        {
            header = default;
            return false;
        }

        header = ReadHeader(buffer);
        if (header.IsOversized)
        {
            buffer = buffer.Slice(TtrpcProtocol.HeaderLength);
            return true;
        }

        long frameLength = TtrpcProtocol.HeaderLength + (long)header.Length;
        if (buffer.Length < frameLength)
        {
            header = default;
            return false;
        }

        payload = buffer.Slice(TtrpcProtocol.HeaderLength, header.Length);
        buffer = buffer.Slice(frameLength);
        return true;
    }

    /// <summary>
    /// Drops up to <paramref name="remaining"/> bytes from the front of <paramref name="buffer"/> and
    /// returns true once all of them have been dropped.
    /// </summary>
    public static bool TrySkip(ref ReadOnlySequence<byte> buffer, ref long remaining)
    {
        long count = Math.Min(buffer.Length, remaining);
        buffer = buffer.Slice(count);
        remaining -= count;
        return remaining == 0;
    }

    private static TtrpcFrameHeader ReadHeader(in ReadOnlySequence<byte> buffer)
    {
        ReadOnlySpan<byte> first = buffer.FirstSpan;
        if (first.Length >= TtrpcProtocol.HeaderLength)
        {
            return TtrpcFrameHeader.Read(first);
        }

        Span<byte> header = stackalloc byte[TtrpcProtocol.HeaderLength];
        buffer.Slice(0, TtrpcProtocol.HeaderLength).CopyTo(header);
        return TtrpcFrameHeader.Read(header);
    }
}
