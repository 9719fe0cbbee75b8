using System.Globalization;
using Grpc.Net.Client;
using Sealpod.Rpc.Tests.Grpc.Probe;
using Metadata = Grpc.Core.Metadata;

namespace Sealpod.Rpc.Tests.Grpc;

/// <summary>
/// Unary calls of a Grpc.Tools-generated client through <see cref="GrpcChannels"/> and <see cref="GrpcCalls"/>
/// against grpc-go, over TCP and over a unix socket: what arrives, and how each failure becomes a
/// <see cref="RpcException"/>.
/// </summary>
[Collection(GoGrpcCollection.Name)]
public sealed class GrpcCallTests : IDisposable
{
    private const string Service = "/sealpod.test.Probe/";

    private readonly GoGrpcServer _server;
    private readonly GrpcChannel _tcpChannel;
    private readonly GrpcChannel _unixChannel;
    private readonly Probe.Probe.ProbeClient _tcp;
    private readonly Probe.Probe.ProbeClient _unix;

    public GrpcCallTests(GoGrpcServer server)
    {
        _server = server;
        _tcpChannel = GrpcChannels.ForAddress(server.TcpAddress);
        _unixChannel = GrpcChannels.ForUnixSocket(server.UnixSocketPath);
        _tcp = new Probe.Probe.ProbeClient(_tcpChannel);
        _unix = new Probe.Probe.ProbeClient(_unixChannel);
    }

    public void Dispose()
    {
        _tcpChannel.Dispose();
        _unixChannel.Dispose();
    }

    [Theory]
    [InlineData("tcp")]
    [InlineData("unix")]
    public async Task Echo_returns_the_request(string transport)
    {
        var request = new StringValue { Value = "hello over " + transport };

        StringValue response = await GrpcCalls.UnaryAsync(Service + "Echo", o => Client(transport).EchoAsync(request, o));

        Assert.Equal(request, response);
    }

    [Fact]
    public async Task Unix_address_form_reaches_the_same_server()
    {
        using var channel = GrpcChannels.ForAddress(new Uri("unix://" + _server.UnixSocketPath));
        var client = new Probe.Probe.ProbeClient(channel);

        StringValue response = await GrpcCalls.UnaryAsync(Service + "Echo", o => client.EchoAsync(new StringValue { Value = "u" }, o));

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
            File.CreateSymbolicLink(link, _server.UnixSocketPath);
            using var channel = GrpcChannels.ForUnixSocket(link);
            var client = new Probe.Probe.ProbeClient(channel);

            StringValue response = await GrpcCalls.UnaryAsync(Service + "Echo", o => client.EchoAsync(new StringValue { Value = "odd path" }, o));

            Assert.Equal("odd path", response.Value);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("tcp")]
    [InlineData("unix")]
    public async Task Metadata_goes_out_with_the_call(string transport)
    {
        var headers = new Metadata
        {
            { "x-request-id", "req-42" },
            { "containerd-namespace", "sealpod" },
            { "trace-bin", new byte[] { 0x00, 0xFF, 0x10, 0x80, 0x7F } },
        };

        StringValue seen = await GrpcCalls.UnaryAsync(Service + "Metadata", o => Client(transport).MetadataAsync(new Empty(), o), headers: headers);

        Assert.Equal(["containerd-namespace=sealpod", "trace-bin=00ff10807f", "x-request-id=req-42"], seen.Value.Split('\n'));
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

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => GrpcCalls.UnaryAsync(Service + "Fail", o => _tcp.FailAsync(request, o)));

        Assert.Equal(code, error.StatusCode);
        Assert.Equal(message, error.Message);
        Assert.Empty(error.Details);
        Assert.Null(error.InnerException);
    }

    [Fact]
    public async Task Status_codes_beyond_the_known_set_are_Unknown()
    {
        var request = new StringValue { Value = "99|from the future" };

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => GrpcCalls.UnaryAsync(Service + "Fail", o => _tcp.FailAsync(request, o)));

        Assert.Equal(StatusCode.Unknown, error.StatusCode);
        Assert.Equal("from the future", error.Message);
    }

    [Theory]
    [InlineData("tcp")]
    [InlineData("unix")]
    public async Task Non_ascii_status_messages_are_percent_decoded(string transport)
    {
        const string message = "héllo wörld ✓ 100% done\tnow — 容器";
        var request = new StringValue { Value = $"{(int)StatusCode.Aborted}|{message}" };

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => GrpcCalls.UnaryAsync(Service + "Fail", o => Client(transport).FailAsync(request, o)));

        Assert.Equal(StatusCode.Aborted, error.StatusCode);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task Status_details_are_kept_as_serialized_Any()
    {
        var request = new StringValue { Value = $"{(int)StatusCode.ResourceExhausted}|quota" };

        RpcException error = await Assert.ThrowsAsync<RpcException>(
            () => GrpcCalls.UnaryAsync(Service + "FailWithDetails", o => _tcp.FailWithDetailsAsync(request, o)));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal("quota", error.Message);
        Assert.Collection(
            error.Details,
            detail => Assert.Equal("detail-1", Any.Parser.ParseFrom(detail.Span).Unpack<StringValue>().Value),
            detail => Assert.Equal(42u, Any.Parser.ParseFrom(detail.Span).Unpack<UInt32Value>().Value));
    }

    [Fact]
    public async Task Unknown_method_is_Unimplemented()
    {
        RpcException error = await Assert.ThrowsAsync<RpcException>(
            () => GrpcCalls.UnaryAsync(Service + "NoSuchMethod", o => _tcp.NoSuchMethodAsync(new Empty(), o)));

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
        Assert.Contains("NoSuchMethod", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_sees_the_deadline_from_grpc_timeout()
    {
        StringValue remaining = await GrpcCalls.UnaryAsync(Service + "Deadline", o => _tcp.DeadlineAsync(new Empty(), o), TimeSpan.FromSeconds(30));

        long millis = long.Parse(remaining.Value, CultureInfo.InvariantCulture);
        Assert.InRange(millis, 1, 30_000);
    }

    [Fact]
    public async Task Without_a_timeout_the_server_has_no_deadline()
    {
        StringValue remaining = await GrpcCalls.UnaryAsync(Service + "Deadline", o => _tcp.DeadlineAsync(new Empty(), o));

        Assert.Equal("none", remaining.Value);
    }

    [Theory]
    [InlineData("tcp")]
    [InlineData("unix")]
    public async Task Expired_deadline_is_DeadlineExceeded_on_both_sides(string transport)
    {
        string id = Guid.NewGuid().ToString();

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => GrpcCalls.UnaryAsync(
            Service + "Sleep", o => Client(transport).SleepAsync(new UInt32Value { Value = 60_000 }, o), TimeSpan.FromMilliseconds(1500), SleepId(id)));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Equal("/sealpod.test.Probe/Sleep: deadline exceeded after 1500 ms.", error.Message);
        // The server had the deadline and gave up its 60 s sleep; whether its own timer or our
        // stream reset ended it first is a race either side may win.
        Assert.Matches("^(deadline-exceeded|canceled) deadline=true$", await SleepOutcomeAsync(id));
    }

    [Fact]
    public async Task A_call_that_finishes_in_time_succeeds()
    {
        string id = Guid.NewGuid().ToString();

        UInt32Value slept = await GrpcCalls.UnaryAsync(
            Service + "Sleep", o => _tcp.SleepAsync(new UInt32Value { Value = 1 }, o), TimeSpan.FromSeconds(30), SleepId(id));

        Assert.Equal(1u, slept.Value);
        Assert.Equal("completed deadline=true", await SleepOutcomeAsync(id));
    }

    [Fact]
    public async Task Cancelling_the_token_cancels_the_call_on_the_server()
    {
        string id = Guid.NewGuid().ToString();
        using var cancel = new CancellationTokenSource();
        Task<UInt32Value> call = GrpcCalls.UnaryAsync(
            Service + "Sleep", o => _tcp.SleepAsync(new UInt32Value { Value = 60_000 }, o), headers: SleepId(id), cancellationToken: cancel.Token);
        await GrpcCalls.UnaryAsync(Service + "SleepStarted", o => _unix.SleepStartedAsync(new StringValue { Value = id }, o));

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal("canceled deadline=false", await SleepOutcomeAsync(id));
    }

    [Fact]
    public async Task Concurrent_calls_share_one_channel()
    {
        Task<StringValue>[] calls = [.. Enumerable.Range(0, 32).Select(i =>
            GrpcCalls.UnaryAsync(Service + "Echo", o => _unix.EchoAsync(new StringValue { Value = $"call-{i}" }, o)))];

        StringValue[] responses = await Task.WhenAll(calls);

        Assert.Equal(Enumerable.Range(0, 32).Select(i => $"call-{i}"), responses.Select(r => r.Value));
    }

    [Fact]
    public async Task A_response_that_does_not_parse_is_Internal()
    {
        // Echoed back, these bytes read as a ListValue whose first element claims 5 bytes
        // that are not there.
        var request = new BytesValue { Value = ByteString.CopyFrom(0x0a, 0x05) };

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => GrpcCalls.UnaryAsync(Service + "EchoAsList", o => _tcp.EchoAsListAsync(request, o)));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.StartsWith("/sealpod.test.Probe/EchoAsList: ", error.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidProtocolBufferException>(error.InnerException);
    }

    private static Metadata SleepId(string id) => new() { { "sleep-id", id } };

    private async Task<string> SleepOutcomeAsync(string id) =>
        (await GrpcCalls.UnaryAsync(Service + "SleepOutcome", o => _unix.SleepOutcomeAsync(new StringValue { Value = id }, o))).Value;

    private Probe.Probe.ProbeClient Client(string transport) => transport == "unix" ? _unix : _tcp;
}
