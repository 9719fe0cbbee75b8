namespace Sealpod.AgentClient.Tests;

/// <summary>
/// Our own ttrpc server playing the guest agent on a unix socket in a private directory, as QEMU's virtio-serial
/// chardev would present it. Disposing stops the server and removes the directory with the socket.
/// </summary>
internal sealed class ServedAgent : IAsyncDisposable
{
    private readonly TempDirectory _directory = new("sp-agent-");
    private readonly CancellationTokenSource _stop = new();
    private Task? _serving;

    /// <summary>Where the agent listens once <see cref="Serve"/> ran.</summary>
    public string SocketPath => _directory.File("agent.sock");

    /// <summary>Serves <paramref name="server"/> (its services already added) until disposal, which disposes it.</summary>
    public void Serve(TtrpcServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        _serving = Task.Run(async () =>
        {
            await using (server)
            {
                try
                {
                    await server.ServeUnixAsync(SocketPath, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_serving is not null)
        {
            await Task.WhenAny(_serving, Task.Delay(5000));
        }

        _stop.Dispose();
        _directory.Dispose();
    }
}
