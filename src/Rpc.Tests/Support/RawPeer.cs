namespace Sealpod.Rpc.Tests.Support;

/// <summary>Speaks raw ttrpc frames over a socket, to send what a well-behaved client never would.</summary>
internal sealed class RawPeer(Socket socket)
{
    // Guards against a hang if the code under test never answers; not a timing assertion.
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    private readonly byte[] _header = new byte[TtrpcProtocol.HeaderLength];

    public Socket Socket { get; } = socket;

    public static byte[] Request(string service, string method, byte[] payload, long timeoutNano = 0, TtrpcMetadata? metadata = null)
    {
        byte[] envelope = new byte[TtrpcRequestEnvelope.GetLength(service, method, payload.Length, timeoutNano, metadata)];
        TtrpcRequestEnvelope.Write(envelope, service, method, TtrpcPayload.FromBytes(payload), timeoutNano, metadata);
        return envelope;
    }

    public static byte[] Response(StatusCode code, string? message, byte[] payload)
    {
        byte[] envelope = new byte[TtrpcResponseEnvelope.GetLength(code, message, null, payload.Length)];
        TtrpcResponseEnvelope.Write(envelope, code, message, null, TtrpcPayload.FromBytes(payload));
        return envelope;
    }

    public async Task SendAsync(uint streamId, TtrpcMessageType type, byte[] payload, TtrpcFrameFlags flags = 0, uint? declaredLength = null)
    {
        byte[] frame = new byte[TtrpcProtocol.HeaderLength + payload.Length];
        new TtrpcFrameHeader(declaredLength ?? (uint)payload.Length, streamId, type, flags).WriteTo(frame);
        payload.CopyTo(frame, TtrpcProtocol.HeaderLength);
        await Socket.SendAsync(frame);
    }

    public async Task<(TtrpcFrameHeader Header, byte[] Payload)> ReadFrameAsync()
    {
        using var guard = new CancellationTokenSource(HangGuard);
        await ReadExactlyAsync(_header, guard.Token);
        TtrpcFrameHeader header = TtrpcFrameHeader.Read(_header);
        byte[] payload = new byte[header.Length];
        await ReadExactlyAsync(payload, guard.Token);
        return (header, payload);
    }

    public async Task<(TtrpcFrameHeader Header, StatusCode Code, string Message, byte[] Payload)> ReadResponseAsync()
    {
        (TtrpcFrameHeader header, byte[] payload) = await ReadFrameAsync();
        Assert.Equal(TtrpcMessageType.Response, header.Type);
        var envelope = TtrpcResponseEnvelope.Parse(payload);
        return (header, envelope.StatusCode, envelope.StatusMessage, envelope.Payload.ToArray());
    }

    /// <summary>True once the peer has closed its side (a read returns end of stream).</summary>
    public async Task<bool> IsClosedByPeerAsync()
    {
        using var guard = new CancellationTokenSource(HangGuard);
        byte[] one = new byte[1];
        try
        {
            return await Socket.ReceiveAsync(one, SocketFlags.None, guard.Token) == 0;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    private async Task ReadExactlyAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (!buffer.IsEmpty)
        {
            int read = await Socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                throw new EndOfStreamException("The server closed the connection.");
            }

            buffer = buffer[read..];
        }
    }
}
