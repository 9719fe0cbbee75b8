namespace Sealpod.Rpc.Tests;

/// <summary>Our client against our server over real unix sockets.</summary>
public sealed class TtrpcClientServerTests
{
    private const string Service = "sealpod.test.v1.Test";

    // Guards against hangs in the code under test; never a performance assertion.
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    private static void RegisterEcho(TtrpcServer server) =>
        server.AddService(Service).AddUnary("Echo", StringValue.Parser, (request, _) => ValueTask.FromResult(new StringValue { Value = request.Value }));

    // A handler that answers only by being cancelled: the call ends through a deadline, a disposal or a close.
    private static void RegisterHang(TtrpcServer server) =>
        server.AddService(Service).AddUnary<Empty, Empty>("Hang", Empty.Parser, async (_, context) =>
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
            return new Empty();
        });

    [Fact]
    public async Task Typed_unary_call_round_trips_and_the_handler_sees_its_names()
    {
        TtrpcServerCallContext? seen = null;
        await using ServerHarness harness = await ServerHarness.StartAsync(server =>
            server.AddService(Service).AddUnary("Upper", StringValue.Parser, (request, context) =>
            {
                seen = context;
                return ValueTask.FromResult(new StringValue { Value = request.Value.ToUpperInvariant() });
            }));
        TtrpcClient client = await harness.ConnectAsync();

        StringValue response = await client.CallAsync(Service, "Upper", new StringValue { Value = "abc" }, StringValue.Parser);

        Assert.Equal("ABC", response.Value);
        Assert.NotNull(seen);
        Assert.Equal(Service, seen.Service);
        Assert.Equal("Upper", seen.Method);
        Assert.Equal(1u, seen.StreamId);
        Assert.Null(seen.Deadline);
        Assert.Empty(seen.Metadata);
    }

    [Fact]
    public async Task Raw_bytes_call_round_trips_including_empty_messages()
    {
        await using ServerHarness harness = await ServerHarness.StartAsync(server =>
            server.AddService(Service).AddUnary("Reverse", (request, _) =>
                ValueTask.FromResult(TtrpcPayload.FromBytes(request.ToArray().Reverse().ToArray()))));
        TtrpcClient client = await harness.ConnectAsync();

        Assert.Equal([3, 2, 1], await client.CallAsync(Service, "Reverse", new byte[] { 1, 2, 3 }));
        Assert.Empty(await client.CallAsync(Service, "Reverse", ReadOnlyMemory<byte>.Empty));
        Empty empty = await client.CallAsync(Service, "Reverse", new Empty(), Empty.Parser);
        Assert.Equal(new Empty(), empty);
    }

    [Fact]
    public async Task Metadata_reaches_the_handler_lower_cased_with_repeated_values()
    {
        TtrpcMetadata? seen = null;
        await using ServerHarness harness = await ServerHarness.StartAsync(server =>
            server.AddService(Service).AddUnary("Meta", Empty.Parser, (_, context) =>
            {
                seen = context.Metadata;
                return ValueTask.FromResult(new Empty());
            }));
        TtrpcClient client = await harness.ConnectAsync();
        var metadata = new TtrpcMetadata().Add("Containerd-Namespace-Ttrpc", "k8s.io").Add("X-Multi", "1").Add("x-multi", "2");

        await client.CallAsync(Service, "Meta", new Empty(), Empty.Parser, new TtrpcCallOptions { Metadata = metadata });

        Assert.NotNull(seen);
        Assert.Equal(
            [new("containerd-namespace-ttrpc", "k8s.io"), new("x-multi", "1"), new("x-multi", "2")],
            seen.ToArray());
    }

    [Fact]
    public async Task RpcException_from_a_handler_reaches_the_client_with_code_message_and_details()
    {
        byte[] detail = [0x0a, 0x01, 0x78];
        await using ServerHarness harness = await ServerHarness.StartAsync(server =>
            server.AddService(Service).AddUnary<Empty, Empty>("Missing", Empty.Parser, (_, _) =>
                throw new RpcException(StatusCode.NotFound, "container abc not found") { Details = [detail] }));
        TtrpcClient client = await harness.ConnectAsync();

        RpcException error = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.CallAsync(Service, "Missing", new Empty(), Empty.Parser));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("container abc not found", error.Message);
        Assert.Equal(detail, Assert.Single(error.Details).ToArray());
    }

    [Fact]
    public async Task Other_handler_exceptions_become_Unknown_with_their_message_sync_or_async()
    {
        await using ServerHarness harness = await ServerHarness.StartAsync(server =>
            server.AddService(Service)
                .AddUnary<Empty, Empty>("ThrowSync", Empty.Parser, (_, _) => throw new InvalidOperationException("sync boom"))
                .AddUnary<Empty, Empty>("ThrowAsync", Empty.Parser, async (_, _) =>
                {
                    await Task.Yield();
                    throw new InvalidOperationException("async boom");
                }));
        TtrpcClient client = await harness.ConnectAsync();

        RpcException sync = await Assert.ThrowsAsync<RpcException>(async () => await client.CallAsync(Service, "ThrowSync", new Empty(), Empty.Parser));
        RpcException async = await Assert.ThrowsAsync<RpcException>(async () => await client.CallAsync(Service, "ThrowAsync", new Empty(), Empty.Parser));

        Assert.Equal((StatusCode.Unknown, "sync boom"), (sync.StatusCode, sync.Message));
        Assert.Equal((StatusCode.Unknown, "async boom"), (async.StatusCode, async.Message));
    }

    [Fact]
    public async Task Unknown_service_and_method_are_Unimplemented_like_go()
    {
        await using ServerHarness harness = await ServerHarness.StartAsync(RegisterEcho);
        TtrpcClient client = await harness.ConnectAsync();

        RpcException noService = await Assert.ThrowsAsync<RpcException>(async () => await client.CallAsync("no.such.Service", "Echo", ReadOnlyMemory<byte>.Empty));
        RpcException noMethod = await Assert.ThrowsAsync<RpcException>(async () => await client.CallAsync(Service, "Nope", ReadOnlyMemory<byte>.Empty));

        Assert.Equal((StatusCode.Unimplemented, "service no.such.Service"), (noService.StatusCode, noService.Message));
        Assert.Equal((StatusCode.Unimplemented, "method Nope"), (noMethod.StatusCode, noMethod.Message));
    }

    [Fact]
    public async Task Unparsable_request_payload_is_InvalidArgument_and_the_handler_is_not_called()
    {
        bool called = false;
        await using ServerHarness harness = await ServerHarness.StartAsync(server =>
            server.AddService(Service).AddUnary("Echo", StringValue.Parser, (request, _) =>
            {
                called = true;
                return ValueTask.FromResult(request);
            }));
        TtrpcClient client = await harness.ConnectAsync();

        // Field 1 claims 16 bytes but only 1 follows.
        RpcException error = await Assert.ThrowsAsync<RpcException>(async () => await client.CallAsync(Service, "Echo", new byte[] { 0x0a, 0x10, 0x41 }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("Echo", error.Message, StringComparison.Ordinal);
        Assert.False(called);
    }

    [Fact]
    public async Task Timeout_is_sent_as_a_deadline_the_handler_sees_as_cancellation()
    {
        var cancelled = new TaskCompletionSource<DateTimeOffset?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using ServerHarness harness = await ServerHarness.StartAsync(server =>
            server.AddService(Service).AddUnary<Empty, Empty>("Hang", Empty.Parser, async (_, context) =>
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, context.CancellationToken);
                }
                catch (OperationCanceledException)
                {
                    cancelled.SetResult(context.Deadline);
                    throw;
                }

                return new Empty();
            }).AddUnary("Echo", StringValue.Parser, (request, _) => ValueTask.FromResult(request)));
        TtrpcClient client = await harness.ConnectAsync();
        DateTimeOffset before = DateTimeOffset.UtcNow;

        RpcException error = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.CallAsync(Service, "Hang", new Empty(), Empty.Parser, new TtrpcCallOptions { Timeout = TimeSpan.FromMilliseconds(200) }));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        DateTimeOffset? deadline = await cancelled.Task.WaitAsync(HangGuard);
        Assert.NotNull(deadline);
        Assert.InRange(deadline.Value, before, before + TimeSpan.FromSeconds(10));

        // The connection survives the timed-out call.
        StringValue echo = await client.CallAsync(Service, "Echo", new StringValue { Value = "ok" }, StringValue.Parser, new TtrpcCallOptions { Timeout = TimeSpan.FromSeconds(20) });
        Assert.Equal("ok", echo.Value);
    }

    [Fact]
    public async Task Server_answers_DeadlineExceeded_itself_when_timeout_nano_runs_out()
    {
        await using ServerHarness harness = await ServerHarness.StartAsync(RegisterHang);
        RawPeer peer = await harness.ConnectRawAsync();

        // A raw client has no timer of its own: the answer can only come from the server's deadline.
        await peer.SendAsync(1, TtrpcMessageType.Request, RawPeer.Request(Service, "Hang", [], timeoutNano: 100_000_000));
        var (header, code, message, _) = await peer.ReadResponseAsync();

        Assert.Equal(1u, header.StreamId);
        Assert.Equal(StatusCode.DeadlineExceeded, code);
        Assert.Equal("context deadline exceeded", message);
    }

    [Theory]
    [InlineData(long.MaxValue)]
    [InlineData(-1L)]
    [InlineData(50L)]
    public async Task Extreme_timeouts_from_a_peer_are_handled_like_go(long timeoutNano)
    {
        await using ServerHarness harness = await ServerHarness.StartAsync(server =>
            server.AddService(Service).AddUnary<Empty, StringValue>("Deadline", Empty.Parser, async (_, context) =>
            {
                // Yield so an already expired deadline has fired before the handler looks.
                await Task.Delay(20, CancellationToken.None);
                return new StringValue { Value = $"{context.Deadline is not null} {context.CancellationToken.IsCancellationRequested}" };
            }));
        RawPeer peer = await harness.ConnectRawAsync();

        await peer.SendAsync(1, TtrpcMessageType.Request, RawPeer.Request(Service, "Deadline", [], timeoutNano));
        var (_, code, _, payload) = await peer.ReadResponseAsync();

        // A deadline that cannot run out in practice does not break the connection; a negative or
        // sub-tick one is already over when the handler runs, as with Go's context.WithTimeout.
        Assert.Equal(StatusCode.OK, code);
        Assert.Equal(timeoutNano == long.MaxValue ? "True False" : "True True", StringValue.Parser.ParseFrom(payload).Value);
    }

    [Fact]
    public async Task Cancelling_a_call_keeps_the_connection_and_drops_the_late_response()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using ServerHarness harness = await ServerHarness.StartAsync(server =>
            server.AddService(Service)
                .AddUnary<Empty, StringValue>("Slow", Empty.Parser, async (_, _) =>
                {
                    await release.Task;
                    answered.SetResult();
                    return new StringValue { Value = "late" };
                })
                .AddUnary("Echo", StringValue.Parser, (request, _) => ValueTask.FromResult(request)));
        TtrpcClient client = await harness.ConnectAsync();
        using var cancel = new CancellationTokenSource();

        ValueTask<StringValue> slow = client.CallAsync(Service, "Slow", new Empty(), StringValue.Parser, cancellationToken: cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await slow);

        release.SetResult();
        await answered.Task.WaitAsync(HangGuard);
        StringValue echo = await client.CallAsync(Service, "Echo", new StringValue { Value = "still here" }, StringValue.Parser);

        Assert.Equal("still here", echo.Value);
        Assert.False(client.Closed.IsCancellationRequested);
    }

    [Fact]
    public async Task A_timeout_longer_than_any_timer_is_still_sent()
    {
        long? seen = null;
        await using ServerHarness harness = await ServerHarness.StartAsync(server =>
            server.AddService(Service).AddUnary("Deadline", Empty.Parser, (_, context) =>
            {
                seen = context.Deadline is { } deadline ? (long)(deadline - DateTimeOffset.UtcNow).TotalDays : null;
                return ValueTask.FromResult(new Empty());
            }));
        TtrpcClient client = await harness.ConnectAsync();

        await client.CallAsync(Service, "Deadline", new Empty(), Empty.Parser, new TtrpcCallOptions { Timeout = TimeSpan.FromDays(400) });

        Assert.InRange(seen!.Value, 398, 400);
    }

    [Fact]
    public async Task Already_cancelled_token_fails_before_sending()
    {
        await using ServerHarness harness = await ServerHarness.StartAsync(RegisterEcho);
        TtrpcClient client = await harness.ConnectAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await client.CallAsync(Service, "Echo", new StringValue(), StringValue.Parser, cancellationToken: new CancellationToken(true)));
        Assert.Equal("x", (await client.CallAsync(Service, "Echo", new StringValue { Value = "x" }, StringValue.Parser)).Value);
    }

    [Fact]
    public async Task Concurrent_calls_on_one_connection_get_their_own_out_of_order_responses()
    {
        const int Calls = 64;
        var gates = Enumerable.Range(0, Calls).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        int arrived = 0;
        var allArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using ServerHarness harness = await ServerHarness.StartAsync(server =>
            server.AddService(Service).AddUnary<Int32Value, Int32Value>("Gate", Int32Value.Parser, async (request, _) =>
            {
                if (Interlocked.Increment(ref arrived) == Calls)
                {
                    allArrived.SetResult();
                }

                await gates[request.Value].Task;
                return new Int32Value { Value = request.Value * 10 };
            }));
        TtrpcClient client = await harness.ConnectAsync();

        Task<Int32Value>[] calls = Enumerable.Range(0, Calls)
            .Select(i => client.CallAsync(Service, "Gate", new Int32Value { Value = i }, Int32Value.Parser).AsTask())
            .ToArray();
        await allArrived.Task.WaitAsync(HangGuard);

        // Answer in reverse order; each caller must still get its own response.
        for (int i = Calls - 1; i >= 0; i--)
        {
            gates[i].SetResult();
            Assert.Equal(i * 10, (await calls[i].WaitAsync(HangGuard)).Value);
        }
    }

    [Fact]
    public async Task Disposing_the_client_fails_pending_calls_at_once_and_refuses_new_ones()
    {
        await using ServerHarness harness = await ServerHarness.StartAsync(RegisterHang);
        TtrpcClient client = await harness.ConnectAsync();
        Task<Empty> pending = client.CallAsync(Service, "Hang", new Empty(), Empty.Parser).AsTask();

        await client.DisposeAsync();

        // Nothing but the close can end this call: the server never answers it.
        RpcException error = await Assert.ThrowsAsync<RpcException>(() => pending.WaitAsync(HangGuard));
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.True(client.Closed.IsCancellationRequested);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await client.CallAsync(Service, "Hang", new Empty(), Empty.Parser));
    }

    [Fact]
    public async Task Server_going_away_fails_pending_calls_with_Unavailable_and_signals_Closed()
    {
        var handlerCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ServerHarness harness = await ServerHarness.StartAsync(server =>
            server.AddService(Service).AddUnary<Empty, Empty>("Hang", Empty.Parser, async (_, context) =>
            {
                using CancellationTokenRegistration registration = context.CancellationToken.Register(handlerCancelled.SetResult);
                started.SetResult();
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
                return new Empty();
            }));
        await using (harness)
        {
            TtrpcClient client = await harness.ConnectAsync();
            Task<Empty> pending = client.CallAsync(Service, "Hang", new Empty(), Empty.Parser).AsTask();
            await started.Task.WaitAsync(HangGuard);

            await harness.Server.DisposeAsync();

            RpcException error = await Assert.ThrowsAsync<RpcException>(() => pending.WaitAsync(HangGuard));
            Assert.Equal(StatusCode.Unavailable, error.StatusCode);
            await handlerCancelled.Task.WaitAsync(HangGuard);
            await Task.Delay(Timeout.Infinite, client.Closed).ContinueWith(_ => { }).WaitAsync(HangGuard);
            RpcException after = await Assert.ThrowsAsync<RpcException>(async () => await client.CallAsync(Service, "Hang", new Empty(), Empty.Parser));
            Assert.Equal(StatusCode.Unavailable, after.StatusCode);
        }
    }

    [Fact]
    public async Task Client_refuses_to_send_an_oversized_request_and_stays_usable()
    {
        await using ServerHarness harness = await ServerHarness.StartAsync(server =>
            server.AddService(Service).AddUnary("Size", (request, _) =>
                ValueTask.FromResult(TtrpcPayload.FromMessage(new Int32Value { Value = request.Length }))));
        TtrpcClient client = await harness.ConnectAsync();

        RpcException error = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.CallAsync(Service, "Size", new byte[TtrpcProtocol.MaxPayloadLength]));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);

        // The largest request that fits goes through: 4 MiB minus the envelope around the payload.
        int fits = TtrpcProtocol.MaxPayloadLength - TtrpcRequestEnvelope.GetLength(Service, "Size", TtrpcProtocol.MaxPayloadLength - 64, 0, null) + TtrpcProtocol.MaxPayloadLength - 64;
        byte[] response = await client.CallAsync(Service, "Size", new byte[fits]);
        Assert.Equal(fits, Int32Value.Parser.ParseFrom(response).Value);
    }

    [Fact]
    public async Task Server_replaces_an_oversized_response_with_ResourceExhausted()
    {
        await using ServerHarness harness = await ServerHarness.StartAsync(server =>
            server.AddService(Service).AddUnary("Huge", (_, _) =>
                ValueTask.FromResult(TtrpcPayload.FromBytes(new byte[TtrpcProtocol.MaxPayloadLength]))));
        TtrpcClient client = await harness.ConnectAsync();

        RpcException error = await Assert.ThrowsAsync<RpcException>(async () => await client.CallAsync(Service, "Huge", ReadOnlyMemory<byte>.Empty));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.False(client.Closed.IsCancellationRequested);
    }

    [Fact]
    public async Task Server_skips_an_oversized_frame_answers_ResourceExhausted_and_keeps_the_connection()
    {
        await using ServerHarness harness = await ServerHarness.StartAsync(RegisterEcho);
        RawPeer peer = await harness.ConnectRawAsync();
        int oversized = TtrpcProtocol.MaxPayloadLength + 1;

        // The payload is garbage that would be a frame of its own if the server did not skip it whole.
        byte[] junk = new byte[oversized];
        Array.Fill(junk, (byte)0x01);
        await peer.SendAsync(1, TtrpcMessageType.Request, junk);
        var (header, code, message, _) = await peer.ReadResponseAsync();

        Assert.Equal(1u, header.StreamId);
        Assert.Equal(StatusCode.ResourceExhausted, code);
        Assert.Contains(oversized.ToString(System.Globalization.CultureInfo.InvariantCulture), message, StringComparison.Ordinal);

        await peer.SendAsync(3, TtrpcMessageType.Request, RawPeer.Request(Service, "Echo", new StringValue { Value = "after" }.ToByteArray()));
        var (next, nextCode, _, payload) = await peer.ReadResponseAsync();
        Assert.Equal((3u, StatusCode.OK), (next.StreamId, nextCode));
        Assert.Equal("after", StringValue.Parser.ParseFrom(payload).Value);
    }

    [Theory]
    [InlineData(2u)]
    [InlineData(0u)]
    public async Task Even_stream_ids_are_InvalidArgument_on_that_stream(uint streamId)
    {
        await using ServerHarness harness = await ServerHarness.StartAsync(RegisterEcho);
        RawPeer peer = await harness.ConnectRawAsync();

        await peer.SendAsync(streamId, TtrpcMessageType.Request, RawPeer.Request(Service, "Echo", []));
        var (header, code, message, _) = await peer.ReadResponseAsync();

        Assert.Equal(streamId, header.StreamId);
        Assert.Equal(StatusCode.InvalidArgument, code);
        Assert.StartsWith("StreamID must be odd", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reused_or_decreasing_stream_ids_are_InvalidArgument()
    {
        await using ServerHarness harness = await ServerHarness.StartAsync(RegisterEcho);
        RawPeer peer = await harness.ConnectRawAsync();

        await peer.SendAsync(5, TtrpcMessageType.Request, RawPeer.Request(Service, "Echo", []));
        Assert.Equal(StatusCode.OK, (await peer.ReadResponseAsync()).Code);
        await peer.SendAsync(5, TtrpcMessageType.Request, RawPeer.Request(Service, "Echo", []));
        var reused = await peer.ReadResponseAsync();
        await peer.SendAsync(3, TtrpcMessageType.Request, RawPeer.Request(Service, "Echo", []));
        var lower = await peer.ReadResponseAsync();

        Assert.Equal((5u, StatusCode.InvalidArgument), (reused.Header.StreamId, reused.Code));
        Assert.Equal((3u, StatusCode.InvalidArgument), (lower.Header.StreamId, lower.Code));
        Assert.Contains("must increment", reused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_request_envelope_is_InvalidArgument_and_the_connection_lives_on()
    {
        await using ServerHarness harness = await ServerHarness.StartAsync(RegisterEcho);
        RawPeer peer = await harness.ConnectRawAsync();

        await peer.SendAsync(1, TtrpcMessageType.Request, [0x0a, 0x7f, 0x41]);
        var bad = await peer.ReadResponseAsync();
        await peer.SendAsync(3, TtrpcMessageType.Request, RawPeer.Request(Service, "Echo", new StringValue { Value = "ok" }.ToByteArray()));
        var good = await peer.ReadResponseAsync();

        Assert.Equal((1u, StatusCode.InvalidArgument), (bad.Header.StreamId, bad.Code));
        Assert.StartsWith("unmarshal request error:", bad.Message, StringComparison.Ordinal);
        Assert.Equal((3u, StatusCode.OK), (good.Header.StreamId, good.Code));
    }

    [Fact]
    public async Task Data_frame_without_an_open_stream_is_InvalidArgument_and_unknown_types_are_ignored()
    {
        await using ServerHarness harness = await ServerHarness.StartAsync(RegisterEcho);
        RawPeer peer = await harness.ConnectRawAsync();

        await peer.SendAsync(7, (TtrpcMessageType)0x7F, [1, 2, 3]);
        await peer.SendAsync(9, TtrpcMessageType.Data, [1], TtrpcFrameFlags.RemoteClosed);
        var data = await peer.ReadResponseAsync();

        Assert.Equal((9u, StatusCode.InvalidArgument), (data.Header.StreamId, data.Code));
        Assert.Equal("StreamID is no longer active", data.Message);
    }

    [Fact]
    public async Task Client_uses_odd_stream_ids_from_one_in_steps_of_two_and_skips_oversized_responses()
    {
        await using RawServer raw = await RawServer.StartAsync();
        TtrpcClient client = raw.Client;
        RawPeer server = raw.Peer;

        Task<byte[]> first = client.CallAsync(Service, "A", new byte[] { 1 }).AsTask();
        Task<byte[]> second = client.CallAsync(Service, "B", new byte[] { 2 }).AsTask();
        Task<byte[]> third = client.CallAsync(Service, "C", new byte[] { 3 }).AsTask();
        var requests = new List<(TtrpcFrameHeader Header, byte[] Payload)>
        {
            await server.ReadFrameAsync(), await server.ReadFrameAsync(), await server.ReadFrameAsync(),
        };

        Assert.Equal([1u, 3u, 5u], requests.Select(r => r.Header.StreamId));
        Assert.All(requests, r => Assert.Equal((TtrpcMessageType.Request, TtrpcFrameFlags.None), (r.Header.Type, r.Header.Flags)));
        Assert.Equal(["A", "B", "C"], requests.Select(r => TtrpcRequestEnvelope.Parse(r.Payload).Method));

        // An oversized response fails its own call only; its payload is skipped, not parsed as frames.
        byte[] junk = new byte[TtrpcProtocol.MaxPayloadLength + 10];
        Array.Fill(junk, (byte)0x02);
        await server.SendAsync(3, TtrpcMessageType.Response, junk);
        await server.SendAsync(5, TtrpcMessageType.Response, RawPeer.Response(StatusCode.OK, null, [30]));
        await server.SendAsync(1, TtrpcMessageType.Response, RawPeer.Response(StatusCode.OK, null, [10]));

        Assert.Equal([10], await first.WaitAsync(HangGuard));
        Assert.Equal([30], await third.WaitAsync(HangGuard));
        RpcException error = await Assert.ThrowsAsync<RpcException>(() => second.WaitAsync(HangGuard));
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.False(client.Closed.IsCancellationRequested);
    }

    [Fact]
    public async Task Responses_for_unknown_streams_are_dropped()
    {
        await using RawServer raw = await RawServer.StartAsync();
        TtrpcClient client = raw.Client;
        RawPeer server = raw.Peer;

        Task<byte[]> call = client.CallAsync(Service, "A", ReadOnlyMemory<byte>.Empty).AsTask();
        var request = await server.ReadFrameAsync();
        await server.SendAsync(99, TtrpcMessageType.Response, RawPeer.Response(StatusCode.OK, null, [9]));
        await server.SendAsync(request.Header.StreamId, TtrpcMessageType.Response, RawPeer.Response(StatusCode.OK, null, [1]));

        Assert.Equal([1], await call.WaitAsync(HangGuard));
    }

    [Fact]
    public async Task Serving_a_path_creates_an_owner_only_socket_and_removes_it_when_stopped()
    {
        using var directory = new TempDirectory();
        string path = directory.File("mode.sock");
        await using var server = new TtrpcServer();
        RegisterEcho(server);
        using var stop = new CancellationTokenSource();

        Task serving = server.ServeUnixAsync(path, stop.Token);
        UnixFileMode mode = File.GetUnixFileMode(path);
        await stop.CancelAsync();
        await serving.WaitAsync(HangGuard);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task Serving_after_dispose_is_refused()
    {
        var server = new TtrpcServer();
        await server.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => server.ServeConnectionAsync(Stream.Null));
    }

    [Fact]
    public async Task Registration_is_closed_once_serving_and_duplicates_are_refused()
    {
        await using ServerHarness harness = await ServerHarness.StartAsync(server =>
        {
            TtrpcServiceBuilder service = server.AddService(Service);
            service.AddUnary("A", (_, _) => ValueTask.FromResult(TtrpcPayload.Empty));
            Assert.Throws<ArgumentException>(() => service.AddUnary("A", (_, _) => ValueTask.FromResult(TtrpcPayload.Empty)));
            Assert.Throws<ArgumentException>(() => server.AddService(Service));
        });

        Assert.Throws<InvalidOperationException>(() => harness.Server.AddService("late.Service"));
    }
}
