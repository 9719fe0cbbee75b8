using System.Net;
using System.Net.Sockets;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Sealpod.Rpc;

namespace Sealpod.Grpc.Tests.EdgeServer;

/// <summary>
/// Responses a conforming gRPC server never sends (HTTP errors, protocol violations), served
/// by Kestrel over real HTTP/2, and the request as it appears on the wire.
/// </summary>
[Collection(EdgeServerCollection.Name)]
public sealed class EdgeCaseCallTests(EdgeCaseServer server) : IDisposable
{
    private readonly GrpcUnaryClient _client = new(server.Address);

    public void Dispose() => _client.Dispose();

    [Theory]
    [InlineData("Http400", StatusCode.Internal)]
    [InlineData("Http401", StatusCode.Unauthenticated)]
    [InlineData("Http403", StatusCode.PermissionDenied)]
    [InlineData("Http404", StatusCode.Unimplemented)]
    [InlineData("Http429", StatusCode.Unavailable)]
    [InlineData("Http500", StatusCode.Unknown)]
    [InlineData("Http502", StatusCode.Unavailable)]
    [InlineData("Http503", StatusCode.Unavailable)]
    [InlineData("Http504", StatusCode.Unavailable)]
    public async Task Http_errors_map_to_grpc_codes(string scenario, StatusCode expected)
    {
        RpcException error = await CallFailingAsync(scenario);

        Assert.Equal(expected, error.StatusCode);
        Assert.Contains(scenario["Http".Length..], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Trailers_only_status_comes_from_the_headers()
    {
        RpcException error = await CallFailingAsync("TrailersOnly");

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Equal("denied here: ✓", error.Message);
    }

    [Theory]
    [InlineData("TrailersOnlyOk", StatusCode.Internal)]
    [InlineData("OkWithoutMessage", StatusCode.Internal)]
    [InlineData("MissingStatus", StatusCode.Internal)]
    [InlineData("Compressed", StatusCode.Internal)]
    [InlineData("TwoMessages", StatusCode.Internal)]
    [InlineData("Truncated", StatusCode.Internal)]
    [InlineData("InvalidStatus", StatusCode.Unknown)]
    [InlineData("NotGrpc", StatusCode.Unknown)]
    [InlineData("NoContentType", StatusCode.Unknown)]
    [InlineData("Reset", StatusCode.Internal)]
    public async Task Protocol_violations_fail_the_call(string scenario, StatusCode expected)
    {
        RpcException error = await CallFailingAsync(scenario);

        Assert.Equal(expected, error.StatusCode);
    }

    [Fact]
    public async Task Status_codes_beyond_the_known_set_are_Unknown()
    {
        RpcException error = await CallFailingAsync("UnknownCode");

        Assert.Equal(StatusCode.Unknown, error.StatusCode);
        Assert.Equal("from the future", error.Message);
    }

    [Fact]
    public async Task Garbled_details_do_not_hide_the_status()
    {
        RpcException error = await CallFailingAsync("GarbledDetails");

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("bad", error.Message);
        Assert.Empty(error.Details);
    }

    [Fact]
    public async Task Request_is_a_length_prefixed_message_with_grpc_headers()
    {
        var request = new StringValue { Value = "inspect me" };
        var metadata = new GrpcMetadata
        {
            { "x-a", "1" },
            { "x-a", "2" },
            { "trace-bin", new byte[] { 0x00, 0xFF, 0x10, 0x80, 0x7F } },
            { "trace-bin", new byte[] { 0xFB, 0xEF } },
        };

        GrpcCallResult<StringValue> result = await _client.CallWithMetadataAsync(
            "/sealpod.test.Edge/Inspect", request, StringValue.Parser, metadata, TimeSpan.FromMilliseconds(1500));

        Assert.Equal("inspect me", result.Response.Value);
        ReceivedRequest received = server.ReceivedFor("Inspect").Last();
        Assert.Equal("HTTP/2", received.Protocol);
        Assert.Equal("POST", received.Method);
        Assert.Equal("/sealpod.test.Edge/Inspect", received.Path);
        Assert.Equal("application/grpc", received.Headers["content-type"]);
        Assert.Equal("trailers", received.Headers["te"]);
        Assert.Equal("1500m", received.Headers["grpc-timeout"]);
        Assert.StartsWith("grpc-csharp-sealpod/", received.Headers["user-agent"], StringComparison.Ordinal);
        Assert.Equal("1, 2", received.Headers["x-a"]);
        Assert.Equal("AP8QgH8,++8", received.Headers["trace-bin"]);
        byte[] message = request.ToByteArray();
        Assert.Equal([0x00, 0x00, 0x00, 0x00, (byte)message.Length, .. message], received.Body);
    }

    [Fact]
    public async Task Response_metadata_is_decoded()
    {
        GrpcCallResult<StringValue> result = await _client.CallWithMetadataAsync(
            "/sealpod.test.Edge/Inspect", new StringValue { Value = "m" }, StringValue.Parser);

        Assert.Equal("plain", result.Headers.GetValue("x-text"));
        Assert.Equal([new byte[] { 1, 2 }, new byte[] { 3, 4 }], result.Headers.GetAll("x-pair-bin").Select(e => e.Bytes.ToArray()));
        Assert.Equal(new byte[] { 0x00, 0xFF, 0x10, 0x80, 0x7F }, result.Trailers.GetBytes("x-trailer-bin")!.Value.ToArray());
        Assert.DoesNotContain(result.Headers, e => e.Key.StartsWith("grpc-", StringComparison.Ordinal) || e.Key == "content-type");
        Assert.DoesNotContain(result.Trailers, e => e.Key.StartsWith("grpc-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_timeout_no_grpc_timeout_is_sent()
    {
        await _client.CallAsync("/sealpod.test.Edge/Inspect", new StringValue { Value = "t" }, StringValue.Parser);

        Assert.DoesNotContain("grpc-timeout", server.ReceivedFor("Inspect").Last().Headers.Keys);
    }

    [Fact]
    public async Task A_deadline_that_already_passed_fails_without_sending()
    {
        int before = server.ReceivedFor("Inspect").Length;

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => _client.CallAsync(
            "/sealpod.test.Edge/Inspect", new StringValue(), StringValue.Parser, timeout: TimeSpan.Zero));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Equal(before, server.ReceivedFor("Inspect").Length);
    }

    [Fact]
    public async Task Refused_tcp_connection_is_Unavailable()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        using var client = new GrpcUnaryClient(new Uri($"http://127.0.0.1:{port}"));

        RpcException error = await Assert.ThrowsAsync<RpcException>(
            () => client.CallAsync("/a.B/C", new Empty(), Empty.Parser));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }

    [Fact]
    public async Task Missing_unix_socket_is_Unavailable()
    {
        using var client = GrpcUnaryClient.ForUnixSocket(Path.Combine(Path.GetTempPath(), $"sealpod-absent-{Guid.NewGuid():N}.sock"));

        RpcException error = await Assert.ThrowsAsync<RpcException>(
            () => client.CallAsync("/a.B/C", new Empty(), Empty.Parser));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }

    private async Task<RpcException> CallFailingAsync(string scenario) =>
        await Assert.ThrowsAsync<RpcException>(() => _client.CallAsync(
            $"/sealpod.test.Edge/{scenario}", new StringValue { Value = scenario }, StringValue.Parser, timeout: TimeSpan.FromSeconds(30)));
}
