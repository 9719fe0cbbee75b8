using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Sealpod.Rpc;

namespace Sealpod.Grpc.Tests.Interop;

/// <summary>Unary calls against grpc-go over TCP and over a unix socket.</summary>
[Collection(GoGrpcCollection.Name)]
public sealed class GoServerCallTests(GoGrpcServer server) : IDisposable
{
    private const string Echo = "/sealpod.test.Probe/Echo";
    private const string Fail = "/sealpod.test.Probe/Fail";

    private readonly GrpcUnaryClient _tcp = new(server.TcpAddress);
    private readonly GrpcUnaryClient _unix = GrpcUnaryClient.ForUnixSocket(server.UnixSocketPath);

    public void Dispose()
    {
        _tcp.Dispose();
        _unix.Dispose();
    }

    [Theory]
    [InlineData("tcp")]
    [InlineData("unix")]
    public async Task Echo_returns_the_request(string transport)
    {
        var request = new StringValue { Value = "hello over " + transport };

        StringValue response = await Client(transport).CallAsync(Echo, request, StringValue.Parser);

        Assert.Equal(request, response);
    }

    [Fact]
    public async Task Unix_address_form_reaches_the_same_server()
    {
        using var client = new GrpcUnaryClient(new Uri("unix://" + server.UnixSocketPath));

        StringValue response = await client.CallAsync(Echo, new StringValue { Value = "u" }, StringValue.Parser);

        Assert.Equal("u", response.Value);
    }

    [Fact]
    public async Task Unix_socket_paths_are_used_verbatim()
    {
        // Characters that mean something in a URI must not be escaped on the way to connect(2).
        DirectoryInfo directory = Directory.CreateTempSubdirectory("sealpod grpc #1 %20 ");
        try
        {
            string link = Path.Combine(directory.FullName, "a?b.sock");
            File.CreateSymbolicLink(link, server.UnixSocketPath);
            using var client = GrpcUnaryClient.ForUnixSocket(link);

            StringValue response = await client.CallAsync(Echo, new StringValue { Value = "odd path" }, StringValue.Parser);

            Assert.Equal("odd path", response.Value);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Empty_messages_travel_as_zero_length_frames()
    {
        Empty response = await _tcp.CallAsync(Echo, new Empty(), Empty.Parser);

        Assert.Equal(new Empty(), response);
    }

    [Theory]
    [InlineData("tcp")]
    [InlineData("unix")]
    public async Task Metadata_goes_out_as_headers_and_comes_back_in_headers_and_trailers(string transport)
    {
        byte[] binary = [0x00, 0xFF, 0x10, 0x80, 0x7F];
        var metadata = new GrpcMetadata
        {
            { "x-request-id", "req-42" },
            { "x-multi", "one" },
            { "x-multi", "two" },
            { "trace-bin", binary },
        };

        GrpcCallResult<StringValue> result = await Client(transport).CallWithMetadataAsync(
            Echo, new StringValue { Value = "m" }, StringValue.Parser, metadata);

        Assert.Equal("m", result.Response.Value);
        Assert.Equal("req-42", result.Headers.GetValue("echo-x-request-id"));
        // Repeated text values travel as one HTTP field, joined as HTTP joins them.
        Assert.Equal("one, two", result.Headers.GetValue("echo-x-multi"));
        Assert.Equal(binary, Assert.Single(result.Headers.GetAll("echo-trace-bin")).Bytes.ToArray());
        Assert.Equal("req-42", result.Trailers.GetValue("trailer-x-request-id"));
        Assert.Equal(binary, Assert.Single(result.Trailers.GetAll("trailer-trace-bin")).Bytes.ToArray());
        Assert.Null(result.Trailers.GetValue("grpc-status"));
        Assert.StartsWith("grpc-csharp-sealpod/", result.Headers.GetValue("echo-user-agent"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(StatusCode.NotFound, "container abc not found")]
    [InlineData(StatusCode.InvalidArgument, "bad policy")]
    [InlineData(StatusCode.FailedPrecondition, "not running")]
    [InlineData(StatusCode.Unimplemented, "no")]
    [InlineData(StatusCode.Unauthenticated, "who are you")]
    [InlineData(StatusCode.DataLoss, "")]
    public async Task Server_status_becomes_RpcException(StatusCode code, string message)
    {
        var request = new StringValue { Value = $"{(int)code}|{message}" };

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => _tcp.CallAsync(Fail, request, StringValue.Parser));

        Assert.Equal(code, error.StatusCode);
        Assert.Equal(message, error.Message);
        Assert.Empty(error.Details);
    }

    [Theory]
    [InlineData("tcp")]
    [InlineData("unix")]
    public async Task Non_ascii_status_messages_are_percent_decoded(string transport)
    {
        const string message = "héllo wörld ✓ 100% done\tnow — 容器";
        var request = new StringValue { Value = $"{(int)StatusCode.Aborted}|{message}" };

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => Client(transport).CallAsync(Fail, request, StringValue.Parser));

        Assert.Equal(StatusCode.Aborted, error.StatusCode);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task Status_details_are_kept_as_serialized_Any()
    {
        var request = new StringValue { Value = $"{(int)StatusCode.ResourceExhausted}|quota" };

        RpcException error = await Assert.ThrowsAsync<RpcException>(
            () => _tcp.CallAsync("/sealpod.test.Probe/FailWithDetails", request, StringValue.Parser));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Collection(
            error.Details,
            detail => Assert.Equal("detail-1", Google.Protobuf.WellKnownTypes.Any.Parser.ParseFrom(detail.Span).Unpack<StringValue>().Value),
            detail => Assert.Equal(42u, Google.Protobuf.WellKnownTypes.Any.Parser.ParseFrom(detail.Span).Unpack<UInt32Value>().Value));
    }

    [Fact]
    public async Task Unknown_method_is_Unimplemented()
    {
        RpcException error = await Assert.ThrowsAsync<RpcException>(
            () => _tcp.CallAsync("/sealpod.test.Probe/NoSuchMethod", new Empty(), Empty.Parser));

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
        Assert.Contains("NoSuchMethod", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_sees_the_deadline_from_grpc_timeout()
    {
        StringValue remaining = await _tcp.CallAsync(
            "/sealpod.test.Probe/Deadline", new Empty(), StringValue.Parser, timeout: TimeSpan.FromSeconds(30));

        long millis = long.Parse(remaining.Value, CultureInfo.InvariantCulture);
        Assert.InRange(millis, 1, 30_000);
    }

    [Fact]
    public async Task Without_a_timeout_the_server_has_no_deadline()
    {
        StringValue remaining = await _tcp.CallAsync("/sealpod.test.Probe/Deadline", new Empty(), StringValue.Parser);

        Assert.Equal("none", remaining.Value);
    }

    [Fact]
    public async Task Default_timeout_applies_when_the_call_has_none()
    {
        using var client = new GrpcUnaryClient(server.TcpAddress, new GrpcClientOptions { DefaultTimeout = TimeSpan.FromMinutes(2) });

        StringValue remaining = await client.CallAsync("/sealpod.test.Probe/Deadline", new Empty(), StringValue.Parser);

        Assert.InRange(long.Parse(remaining.Value, CultureInfo.InvariantCulture), 60_001, 120_000);
    }

    [Theory]
    [InlineData("tcp")]
    [InlineData("unix")]
    public async Task Expired_deadline_is_DeadlineExceeded_on_both_sides(string transport)
    {
        string id = Guid.NewGuid().ToString();

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => Client(transport).CallAsync(
            "/sealpod.test.Probe/Sleep", new UInt32Value { Value = 60_000 }, UInt32Value.Parser, SleepId(id), TimeSpan.FromMilliseconds(1500)));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        // The server had the deadline and gave up its 60 s sleep; whether its own timer or our
        // stream reset ended it first is a race either side may win.
        Assert.Matches("^(deadline-exceeded|canceled) deadline=true$", await SleepOutcomeAsync(id));
    }

    [Fact]
    public async Task A_call_that_finishes_in_time_succeeds()
    {
        string id = Guid.NewGuid().ToString();

        UInt32Value slept = await _tcp.CallAsync(
            "/sealpod.test.Probe/Sleep", new UInt32Value { Value = 1 }, UInt32Value.Parser, SleepId(id), TimeSpan.FromSeconds(30));

        Assert.Equal(1u, slept.Value);
        Assert.Equal("completed deadline=true", await SleepOutcomeAsync(id));
    }

    [Fact]
    public async Task Cancelling_the_token_cancels_the_call_on_the_server()
    {
        string id = Guid.NewGuid().ToString();
        using var cancel = new CancellationTokenSource();
        Task<UInt32Value> call = _tcp.CallAsync(
            "/sealpod.test.Probe/Sleep", new UInt32Value { Value = 60_000 }, UInt32Value.Parser, SleepId(id), cancellationToken: cancel.Token);
        await _unix.CallAsync("/sealpod.test.Probe/SleepStarted", new StringValue { Value = id }, StringValue.Parser);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal("canceled deadline=false", await SleepOutcomeAsync(id));
    }

    [Fact]
    public async Task Responses_over_the_receive_limit_are_ResourceExhausted()
    {
        using var client = new GrpcUnaryClient(server.TcpAddress, new GrpcClientOptions { MaxReceiveMessageSize = 1024 });

        BytesValue small = await client.CallAsync("/sealpod.test.Probe/Large", new UInt32Value { Value = 1000 }, BytesValue.Parser);
        RpcException error = await Assert.ThrowsAsync<RpcException>(
            () => client.CallAsync("/sealpod.test.Probe/Large", new UInt32Value { Value = 2000 }, BytesValue.Parser));

        Assert.Equal(1000, small.Value.Length);
        Assert.Equal(999 % 256, small.Value[999]);
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task Megabyte_responses_arrive_whole()
    {
        BytesValue large = await _unix.CallAsync("/sealpod.test.Probe/Large", new UInt32Value { Value = 3 << 20 }, BytesValue.Parser);

        Assert.Equal(3 << 20, large.Value.Length);
        Assert.True(large.Value.Span.SequenceEqual(Enumerable.Range(0, 3 << 20).Select(i => (byte)i).ToArray()));
    }

    [Fact]
    public async Task Requests_over_the_send_limit_fail_before_sending()
    {
        using var client = new GrpcUnaryClient(server.TcpAddress, new GrpcClientOptions { MaxSendMessageSize = 16 });

        RpcException error = await Assert.ThrowsAsync<RpcException>(
            () => client.CallAsync(Echo, new StringValue { Value = new string('x', 64) }, StringValue.Parser));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task Concurrent_calls_share_one_client()
    {
        Task<StringValue>[] calls = [.. Enumerable.Range(0, 32).Select(i =>
            _unix.CallAsync(Echo, new StringValue { Value = $"call-{i}" }, StringValue.Parser))];

        StringValue[] responses = await Task.WhenAll(calls);

        Assert.Equal(Enumerable.Range(0, 32).Select(i => $"call-{i}"), responses.Select(r => r.Value));
    }

    [Fact]
    public async Task A_response_that_does_not_parse_is_Internal()
    {
        // Echoed back, these bytes read as a ListValue whose first element claims 5 bytes
        // that are not there.
        var request = new BytesValue { Value = ByteString.CopyFrom(0x0a, 0x05) };

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => _tcp.CallAsync(Echo, request, ListValue.Parser));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.IsType<InvalidProtocolBufferException>(error.InnerException);
    }

    private static GrpcMetadata SleepId(string id) => new() { { "sleep-id", id } };

    private async Task<string> SleepOutcomeAsync(string id) =>
        (await _unix.CallAsync("/sealpod.test.Probe/SleepOutcome", new StringValue { Value = id }, StringValue.Parser)).Value;

    private GrpcUnaryClient Client(string transport) => transport == "unix" ? _unix : _tcp;
}
