namespace Sealpod.Rpc.Tests.Support;

/// <summary>
/// A real <see cref="TtrpcClient"/> connected over a unix socket to a <see cref="RawPeer"/> that plays the server, for
/// tests of what the client sends and how it takes what comes back. Disposing closes both sides and removes the socket.
/// </summary>
internal sealed class RawServer(TempDirectory directory, Socket listener, TtrpcClient client, RawPeer peer) : IAsyncDisposable
{
    public TtrpcClient Client { get; } = client;

    public RawPeer Peer { get; } = peer;

    public static async Task<RawServer> StartAsync()
    {
        var directory = new TempDirectory();
        Socket? listener = null;
        TtrpcClient? client = null;
        try
        {
            string path = directory.File("fake.sock");
            listener = TtrpcServer.Listen(path);
            client = await TtrpcClient.ConnectUnixAsync(path);
            Socket accepted = await listener.AcceptAsync();
            return new RawServer(directory, listener, client, new RawPeer(accepted));
        }
        catch
        {
            if (client is not null)
            {
                await client.DisposeAsync();
            }

            listener?.Dispose();
            directory.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Peer.Socket.Dispose();
        await Client.DisposeAsync();
        listener.Dispose();
        directory.Dispose();
    }
}
