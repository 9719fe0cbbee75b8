namespace Sealpod.Rpc.Tests;

/// <summary>
/// The same-user check on real unix sockets. Connecting as another uid would need a second user on the
/// machine, so the refusal path is exercised by expecting a uid/gid that ours is not.
/// </summary>
public sealed class UnixPeerCredentialsTests
{
    private const string Service = "sealpod.test.v1.Creds";

    private static uint ReadProcStatusId(string field)
    {
        // "Uid:\treal\teffective\tsaved\tfs": an independent source for the effective id.
        string line = File.ReadLines("/proc/self/status").Single(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return uint.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[2], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A server whose one method, Who, hands each call's context to <paramref name="onCall"/>.</summary>
    private static Task<ServerHarness> StartWhoAsync(Action<TtrpcServerCallContext> onCall, TtrpcServerOptions? options = null) =>
        ServerHarness.StartAsync(
            server => server.AddService(Service).AddUnary("Who", Empty.Parser, (_, context) =>
            {
                onCall(context);
                return ValueTask.FromResult(new Empty());
            }),
            options);

    /// <summary>A real unix-socket connection through a <see cref="TtrpcServer.Listen"/> socket: both of its ends.</summary>
    private static async Task<(Socket Client, Socket Accepted)> ConnectAsync(TempDirectory directory)
    {
        using Socket listener = TtrpcServer.Listen(directory.File("creds.sock"));
        var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await client.ConnectAsync(new UnixDomainSocketEndPoint(directory.File("creds.sock")));
            return (client, await listener.AcceptAsync());
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    [Fact]
    public void Effective_ids_match_proc_status()
    {
        Assert.Equal((ReadProcStatusId("Uid"), ReadProcStatusId("Gid")), UnixPeerCredentials.CurrentEffectiveIds());
    }

    [Fact]
    public async Task SO_PEERCRED_of_a_real_connection_names_this_process()
    {
        using var directory = new TempDirectory();
        (Socket client, Socket accepted) = await ConnectAsync(directory);
        using var clientEnd = client;
        using var acceptedEnd = accepted;

        Assert.True(UnixPeerCredentials.TryGet(accepted, out UnixPeerCredentials credentials));

        Assert.Equal(Environment.ProcessId, credentials.ProcessId);
        Assert.Equal((ReadProcStatusId("Uid"), ReadProcStatusId("Gid")), (credentials.UserId, credentials.GroupId));
    }

    [Fact]
    public void Non_unix_sockets_have_no_peer_credentials()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

        Assert.False(UnixPeerCredentials.TryGet(socket, out _));
    }

    [Fact]
    public async Task Same_user_is_served_and_the_handler_sees_its_credentials()
    {
        UnixPeerCredentials? seen = null;
        await using ServerHarness harness = await StartWhoAsync(context => seen = context.PeerCredentials);
        TtrpcClient client = await harness.ConnectAsync();

        await client.CallAsync(Service, "Who", new Empty(), Empty.Parser);

        Assert.NotNull(seen);
        Assert.Equal(Environment.ProcessId, seen.Value.ProcessId);
        Assert.Equal(UnixPeerCredentials.CurrentEffectiveIds(), (seen.Value.UserId, seen.Value.GroupId));
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task Another_user_or_group_is_refused_before_any_frame_is_read(bool otherUser, bool otherGroup)
    {
        (uint uid, uint gid) = UnixPeerCredentials.CurrentEffectiveIds();
        var options = new TtrpcServerOptions
        {
            ExpectedPeerUserId = otherUser ? uid + 1 : null,
            ExpectedPeerGroupId = otherGroup ? gid + 1 : null,
        };
        bool called = false;
        await using ServerHarness harness = await StartWhoAsync(_ => called = true, options);
        RawPeer peer = await harness.ConnectRawAsync();

        Assert.True(await peer.IsClosedByPeerAsync());
        Assert.False(called);
    }

    [Fact]
    public async Task Refused_client_calls_fail_with_Unavailable()
    {
        (uint uid, _) = UnixPeerCredentials.CurrentEffectiveIds();
        await using ServerHarness harness = await StartWhoAsync(_ => { }, new TtrpcServerOptions { ExpectedPeerUserId = uid + 1 });
        TtrpcClient client = await harness.ConnectAsync();

        RpcException error = await Assert.ThrowsAsync<RpcException>(async () => await client.CallAsync(Service, "Who", new Empty(), Empty.Parser));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }

    [Fact]
    public async Task Check_can_be_turned_off()
    {
        (uint uid, _) = UnixPeerCredentials.CurrentEffectiveIds();
        await using ServerHarness harness = await StartWhoAsync(_ => { }, new TtrpcServerOptions { RequireSameUser = false, ExpectedPeerUserId = uid + 1 });
        TtrpcClient client = await harness.ConnectAsync();

        Assert.Equal(new Empty(), await client.CallAsync(Service, "Who", new Empty(), Empty.Parser));
    }

    [Fact]
    public async Task ServeConnectionAsync_on_a_socket_from_another_user_throws_and_closes_it()
    {
        using var directory = new TempDirectory();
        (Socket client, Socket accepted) = await ConnectAsync(directory);
        using var clientEnd = client;
        (uint uid, _) = UnixPeerCredentials.CurrentEffectiveIds();
        await using var server = new TtrpcServer(new TtrpcServerOptions { ExpectedPeerUserId = uid + 1 });

        UnauthorizedAccessException error = await Assert.ThrowsAsync<UnauthorizedAccessException>(() => server.ServeConnectionAsync(accepted));

        Assert.Contains($"uid {uid}", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await client.ReceiveAsync(new byte[1], SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(accepted.SafeHandle.IsClosed);
    }
}
