namespace Sealpod.Rpc.Tests.Support;

/// <summary>
/// A real <see cref="TtrpcServer"/> on a unix socket in a private temp directory, plus the clients and raw
/// sockets a test opens against it; disposing tears all of it down, also when the test failed.
/// </summary>
internal sealed class ServerHarness : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<IAsyncDisposable> _clients = [];
    private readonly List<Socket> _sockets = [];
    private Task _serving = Task.CompletedTask;

    private ServerHarness(TtrpcServerOptions? options)
    {
        Server = new TtrpcServer(options);
        SocketPath = _directory.File("ttrpc.sock");
    }

    public TtrpcServer Server { get; }

    public string SocketPath { get; }

    public static async Task<ServerHarness> StartAsync(Action<TtrpcServer> register, TtrpcServerOptions? options = null)
    {
        var harness = new ServerHarness(options);
        register(harness.Server);
        harness._serving = harness.Server.ServeUnixAsync(harness.SocketPath, harness._stop.Token);

        // Serving binds synchronously before its first await, so the socket exists now.
        Assert.True(File.Exists(harness.SocketPath) || harness._serving.IsCompleted);
        await Task.Yield();
        return harness;
    }

    public async Task<TtrpcClient> ConnectAsync(TtrpcClientOptions? options = null)
    {
        TtrpcClient client = await TtrpcClient.ConnectUnixAsync(SocketPath, options);
        _clients.Add(client);
        return client;
    }

    public async Task<RawPeer> ConnectRawAsync()
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _sockets.Add(socket);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath));
        return new RawPeer(socket);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (IAsyncDisposable client in _clients)
        {
            await client.DisposeAsync();
        }

        foreach (Socket socket in _sockets)
        {
            socket.Dispose();
        }

        await _stop.CancelAsync();
        await Server.DisposeAsync();
        await _serving;
        _stop.Dispose();
        _directory.Dispose();
    }
}
