using System.Text.Json;

namespace Sealpod.Rpc.Tests.Interop;

/// <summary>
/// Interop with containerd's own Go ttrpc (Debian's 1.1.x, the version containerd 1.6 ships), both ways over
/// a unix socket: the Go client against our server, and our client against the Go server.
/// </summary>
public sealed class GoInteropTests(GoPeer go) : IClassFixture<GoPeer>
{
    private const string Service = "sealpod.interop.v1.Interop";

    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    [GoFact]
    public async Task Go_client_against_our_server()
    {
        var sleepOutcome = new TaskCompletionSource<(bool Cancelled, DateTimeOffset? Deadline)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using ServerHarness harness = await ServerHarness.StartAsync(server => server.AddService(Service)
            .AddUnary("Echo", StringValue.Parser, (request, _) => ValueTask.FromResult(new StringValue { Value = request.Value }))
            .AddUnary("Metadata", Empty.Parser, (_, context) => ValueTask.FromResult(MetadataStruct(context.Metadata)))
            .AddUnary<Struct, Empty>("Fail", Struct.Parser, (request, _) =>
                throw new RpcException((StatusCode)(int)request.Fields["code"].NumberValue, request.Fields["message"].StringValue))
            .AddUnary<Empty, Empty>("Throw", Empty.Parser, (_, _) => throw new InvalidOperationException("boom from c#"))
            .AddUnary("Deadline", Empty.Parser, (_, context) => ValueTask.FromResult(new Int64Value
            {
                Value = context.Deadline is { } deadline ? (long)((deadline - DateTimeOffset.UtcNow).Ticks * 100) : -1,
            }))
            .AddUnary<Duration, Empty>("Sleep", Duration.Parser, async (request, context) =>
            {
                try
                {
                    await Task.Delay(request.ToTimeSpan(), context.CancellationToken);
                    sleepOutcome.TrySetResult((false, context.Deadline));
                }
                catch (OperationCanceledException)
                {
                    sleepOutcome.TrySetResult((true, context.Deadline));
                    throw;
                }

                return new Empty();
            }));

        await using GoProcess client = go.Start("client", "-socket", harness.SocketPath);
        (int exitCode, string output, string error) = await client.WaitForExitAsync(HangGuard);

        Assert.True(exitCode == 0, $"Go client failed ({exitCode}): {error}");
        using JsonDocument report = JsonDocument.Parse(output);
        JsonElement root = report.RootElement;
        Assert.Equal("hello from go", root.GetProperty("echo").GetString());

        // Go lower-cases keys in MD.Set and sends one KeyValue per value.
        JsonElement seen = root.GetProperty("metadataSeen");
        Assert.Equal(["a", "b"], seen.GetProperty("x-sealpod-test").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(["k8s.io"], seen.GetProperty("containerd-namespace-ttrpc").EnumerateArray().Select(v => v.GetString()));

        Assert.Equal((int)StatusCode.NotFound, root.GetProperty("failCode").GetInt32());
        Assert.Equal("container abc not found", root.GetProperty("failMessage").GetString());
        Assert.Equal((int)StatusCode.Unknown, root.GetProperty("unknownCode").GetInt32());
        Assert.Equal("boom from c#", root.GetProperty("unknownMessage").GetString());

        // The Go client sent a 5 s timeout: our handler saw a deadline within it, and none without one.
        Assert.InRange(root.GetProperty("deadlineNanos").GetInt64(), 1, 5_000_000_000);
        Assert.Equal(-1, root.GetProperty("noDeadlineNanos").GetInt64());

        // A 30 s sleep under a 300 ms timeout: the Go client gave up, and our handler was cancelled by
        // the deadline carried in timeout_nano (not by the connection, which stayed up for later calls).
        Assert.Contains("deadline exceeded", root.GetProperty("sleepError").GetString(), StringComparison.Ordinal);
        (bool cancelled, DateTimeOffset? sleepDeadline) = await sleepOutcome.Task.WaitAsync(HangGuard);
        Assert.True(cancelled);
        Assert.NotNull(sleepDeadline);

        Assert.Equal(64, root.GetProperty("concurrentEchoes").GetInt32());
    }

    [GoFact]
    public async Task Our_client_against_the_go_server()
    {
        using var directory = new TempDirectory();
        string socket = directory.File("go.sock");
        await using GoProcess server = await StartGoServerAsync(socket);
        await using TtrpcClient client = await TtrpcClient.ConnectUnixAsync(socket);

        StringValue echo = await client.CallAsync(Service, "Echo", new StringValue { Value = "hello from c#" }, StringValue.Parser);
        Assert.Equal("hello from c#", echo.Value);

        var metadata = new TtrpcMetadata().Add("X-Sealpod-Test", "a").Add("x-sealpod-test", "b").Add("containerd-namespace-ttrpc", "k8s.io");
        Struct seen = await client.CallAsync(Service, "Metadata", new Empty(), Struct.Parser, new TtrpcCallOptions { Metadata = metadata });
        Assert.Equal(["containerd-namespace-ttrpc", "x-sealpod-test"], seen.Fields.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["a", "b"], seen.Fields["x-sealpod-test"].ListValue.Values.Select(v => v.StringValue));
        Assert.Equal(["k8s.io"], seen.Fields["containerd-namespace-ttrpc"].ListValue.Values.Select(v => v.StringValue));

        var failure = new Struct();
        failure.Fields["code"] = Value.ForNumber((int)StatusCode.FailedPrecondition);
        failure.Fields["message"] = Value.ForString("container is not running");
        RpcException failed = await Assert.ThrowsAsync<RpcException>(async () => await client.CallAsync(Service, "Fail", failure, Empty.Parser));
        Assert.Equal((StatusCode.FailedPrecondition, "container is not running"), (failed.StatusCode, failed.Message));

        RpcException noMethod = await Assert.ThrowsAsync<RpcException>(async () => await client.CallAsync(Service, "Nope", new Empty(), Empty.Parser));
        Assert.Equal((StatusCode.Unimplemented, "method Nope"), (noMethod.StatusCode, noMethod.Message));
        RpcException noService = await Assert.ThrowsAsync<RpcException>(async () => await client.CallAsync("no.Such", "Echo", new Empty(), Empty.Parser));
        Assert.Equal((StatusCode.Unimplemented, "service no.Such"), (noService.StatusCode, noService.Message));

        Int64Value left = await client.CallAsync(Service, "Deadline", new Empty(), Int64Value.Parser, new TtrpcCallOptions { Timeout = TimeSpan.FromSeconds(5) });
        Assert.InRange(left.Value, 1, 5_000_000_000);
        Int64Value none = await client.CallAsync(Service, "Deadline", new Empty(), Int64Value.Parser);
        Assert.Equal(-1, none.Value);

        // The Go handler sleeps 30 s unless its context (built from our timeout_nano) ends first;
        // LastSleep then tells how it ended on the Go side.
        RpcException timedOut = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.CallAsync(Service, "Sleep", Duration.FromTimeSpan(TimeSpan.FromSeconds(30)), Empty.Parser, new TtrpcCallOptions { Timeout = TimeSpan.FromMilliseconds(300) }));
        Assert.Equal(StatusCode.DeadlineExceeded, timedOut.StatusCode);
        StringValue outcome = await client.CallAsync(Service, "LastSleep", new Empty(), StringValue.Parser);
        Assert.StartsWith("deadline-exceeded after ", outcome.Value, StringComparison.Ordinal);

        Task<StringValue>[] concurrent = Enumerable.Range(0, 64)
            .Select(i => client.CallAsync(Service, "Echo", new StringValue { Value = $"call-{i}" }, StringValue.Parser).AsTask())
            .ToArray();
        StringValue[] answers = await Task.WhenAll(concurrent).WaitAsync(HangGuard);
        Assert.Equal(Enumerable.Range(0, 64).Select(i => $"call-{i}"), answers.Select(a => a.Value));
    }

    [GoFact]
    public async Task Go_server_skips_our_oversized_frame_and_answers_ResourceExhausted()
    {
        using var directory = new TempDirectory();
        string socket = directory.File("go.sock");
        await using GoProcess server = await StartGoServerAsync(socket);
        using var raw = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        await raw.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(socket));
        var peer = new RawPeer(raw);

        await peer.SendAsync(1, TtrpcMessageType.Request, new byte[TtrpcProtocol.MaxPayloadLength + 1]);
        var (header, code, _, _) = await peer.ReadResponseAsync();
        await peer.SendAsync(3, TtrpcMessageType.Request, RawPeer.Request(Service, "Echo", [0x0a, 0x01, 0x78]));
        var (next, nextCode, _, payload) = await peer.ReadResponseAsync();

        // The same contract our server keeps (see TtrpcClientServerTests).
        Assert.Equal((1u, StatusCode.ResourceExhausted), (header.StreamId, code));
        Assert.Equal((3u, StatusCode.OK), (next.StreamId, nextCode));
        Assert.Equal("x", StringValue.Parser.ParseFrom(payload).Value);
    }

    /// <summary>Starts the Go server on <paramref name="socket"/> and waits until it says it listens.</summary>
    private async Task<GoProcess> StartGoServerAsync(string socket)
    {
        GoProcess server = go.Start("server", "-socket", socket);
        try
        {
            Assert.Equal("listening", await server.ReadLineAsync(HangGuard));
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private static Struct MetadataStruct(TtrpcMetadata metadata)
    {
        var result = new Struct();
        foreach (IGrouping<string, string> key in metadata.GroupBy(entry => entry.Key, entry => entry.Value))
        {
            result.Fields[key.Key] = Value.ForList([.. key.Select(Value.ForString)]);
        }

        return result;
    }
}
