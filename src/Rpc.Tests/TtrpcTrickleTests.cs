namespace Sealpod.Rpc.Tests;

/// <summary>
/// Client and server over an in-memory duplex stream that hands out data one byte at a time or in random
/// pieces, so every partial header, partial payload and multi-segment path of both receive loops runs.
/// This is also the transport-agnostic path the guest agent uses for virtio-serial.
/// </summary>
public sealed class TtrpcTrickleTests
{
    private const string Service = "sealpod.test.v1.Trickle";

    public static TheoryData<string> Chunkings => ["one-byte", "random-1", "random-2", "random-3", "whole"];

    private static Func<int, int> Chunking(string name) => name switch
    {
        "one-byte" => DuplexPipeStream.OneByte,
        "whole" => requested => requested,
        _ => DuplexPipeStream.RandomChunks(int.Parse(name["random-".Length..], System.Globalization.CultureInfo.InvariantCulture)),
    };

    [Theory]
    [MemberData(nameof(Chunkings))]
    public async Task Calls_survive_any_chunking_of_the_byte_stream(string chunking)
    {
        (DuplexPipeStream clientEnd, DuplexPipeStream serverEnd) = DuplexPipeStream.CreatePair(Chunking(chunking));
        await using var server = new TtrpcServer();
        server.AddService(Service).AddUnary("Echo", BytesValue.Parser, (request, context) =>
        {
            string suffix = string.Join(",", context.Metadata.GetValues("x-seq"));
            return ValueTask.FromResult(new BytesValue { Value = ByteString.CopyFrom([.. request.Value.Span, .. System.Text.Encoding.UTF8.GetBytes(suffix)]) });
        });
        Task serving = server.ServeConnectionAsync(serverEnd);
        await using var client = new TtrpcClient(clientEnd);
        var random = new Random(42);

        var calls = new List<(byte[] Sent, Task<BytesValue> Call, int Seq)>();
        for (int i = 0; i < 40; i++)
        {
            // Sizes straddle the pipe's segment sizes and the send loop's batch buffer.
            byte[] payload = new byte[i % 10 == 9 ? 70_000 + i : random.Next(0, 700)];
            random.NextBytes(payload);
            var options = new TtrpcCallOptions { Metadata = new TtrpcMetadata().Add("X-Seq", i.ToString(System.Globalization.CultureInfo.InvariantCulture)) };
            calls.Add((payload, client.CallAsync(Service, "Echo", new BytesValue { Value = ByteString.CopyFrom(payload) }, BytesValue.Parser, options).AsTask(), i));
        }

        foreach ((byte[] sent, Task<BytesValue> call, int seq) in calls)
        {
            BytesValue response = await call.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal([.. sent, .. System.Text.Encoding.UTF8.GetBytes(seq.ToString(System.Globalization.CultureInfo.InvariantCulture))], response.Value.ToByteArray());
        }

        await client.DisposeAsync();
        await serving.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Peer_closing_mid_frame_closes_the_client_and_fails_its_calls()
    {
        (DuplexPipeStream clientEnd, DuplexPipeStream serverEnd) = DuplexPipeStream.CreatePair(DuplexPipeStream.OneByte);
        await using var client = new TtrpcClient(clientEnd);
        Task<byte[]> call = client.CallAsync(Service, "Any", new byte[] { 1 }).AsTask();

        // The whole request first, so the client's send has finished and only its receive can see the close; then
        // half a response header, and the peer goes away.
        await ReadFrameAsync(serverEnd);
        await serverEnd.WriteAsync(new byte[] { 0, 0, 0, 4, 0 });
        await serverEnd.DisposeAsync();

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => call.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.IsType<EndOfStreamException>(error.InnerException);
        Assert.True(client.Closed.IsCancellationRequested);
    }

    private static async Task ReadFrameAsync(Stream stream)
    {
        // ttrpc frame: 4-byte big-endian payload length, 4-byte stream id, type, flags, then the payload.
        byte[] header = new byte[10];
        await stream.ReadExactlyAsync(header).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        int length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header);
        await stream.ReadExactlyAsync(new byte[length]).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Cancelling_ServeConnectionAsync_closes_that_connection()
    {
        (DuplexPipeStream clientEnd, DuplexPipeStream serverEnd) = DuplexPipeStream.CreatePair();
        await using var server = new TtrpcServer();
        server.AddService(Service).AddUnary("Echo", (request, _) => ValueTask.FromResult(TtrpcPayload.FromBytes(request.ToArray())));
        using var stop = new CancellationTokenSource();
        Task serving = server.ServeConnectionAsync(serverEnd, stop.Token);
        await using var client = new TtrpcClient(clientEnd);
        Assert.Equal([7], await client.CallAsync(Service, "Echo", new byte[] { 7 }));

        await stop.CancelAsync();
        await serving.WaitAsync(TimeSpan.FromSeconds(30));

        await Task.Delay(Timeout.Infinite, client.Closed).ContinueWith(_ => { }).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(client.Closed.IsCancellationRequested);
    }
}
