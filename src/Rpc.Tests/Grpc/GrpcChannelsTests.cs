using System.Net;
using Sealpod.Rpc.Tests.Grpc.Probe;

namespace Sealpod.Rpc.Tests.Grpc;

/// <summary>Addresses a channel takes, and the failures that happen before any server answers.</summary>
public sealed class GrpcChannelsTests
{
    [Theory]
    [InlineData("https://127.0.0.1:1")]
    [InlineData("vsock://3:1024")]
    public void Only_h2c_and_unix_addresses_are_accepted(string address)
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => GrpcChannels.ForAddress(new Uri(address)));

        Assert.Contains($"'{new Uri(address)}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refused_tcp_connection_is_Unavailable()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        using var channel = GrpcChannels.ForAddress(new Uri($"http://127.0.0.1:{port}"));
        var client = new Probe.Probe.ProbeClient(channel);

        RpcException error = await Assert.ThrowsAsync<RpcException>(
            () => GrpcCalls.UnaryAsync("/sealpod.test.Probe/Echo", o => client.EchoAsync(new StringValue(), o), TimeSpan.FromSeconds(30)));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.StartsWith("/sealpod.test.Probe/Echo: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("Connection refused", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.InnerException);
    }

    [Fact]
    public async Task Missing_unix_socket_is_Unavailable()
    {
        using var channel = GrpcChannels.ForUnixSocket(Path.Combine(Path.GetTempPath(), $"sealpod-absent-{Guid.NewGuid():N}.sock"));
        var client = new Probe.Probe.ProbeClient(channel);

        RpcException error = await Assert.ThrowsAsync<RpcException>(
            () => GrpcCalls.UnaryAsync("/sealpod.test.Probe/Echo", o => client.EchoAsync(new StringValue(), o)));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }

    [Fact]
    public async Task A_deadline_that_already_passed_fails_without_starting_the_call()
    {
        bool started = false;

        RpcException error = await Assert.ThrowsAsync<RpcException>(() => GrpcCalls.UnaryAsync<Empty>(
            "/a.B/C",
            _ =>
            {
                started = true;
                throw new InvalidOperationException("must not start");
            },
            TimeSpan.Zero));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.Equal("/a.B/C: the deadline had passed before the call started.", error.Message);
        Assert.False(started);
    }
}
