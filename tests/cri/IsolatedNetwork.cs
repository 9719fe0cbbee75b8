using System.Net;
using System.Net.Sockets;
using Sealpod.Linux.Netlink;

namespace Sealpod.CriHarness;

/// <summary>
/// A network namespace of the harness's own (<c>ip netns add</c>), in which the private containerd runs: the CNI
/// bridge, the pods' veths, portmap's iptables rules and every pod address live here, and the harness reaches them
/// from here, so no packet ever leaves it and the host's own network is never touched. Only lo is up at first.
/// Disposing deletes the namespace, and with it the bridge and whatever CNI left in it.
/// </summary>
public sealed class IsolatedNetwork : IAsyncDisposable
{
    private IsolatedNetwork(string name) => Name = name;

    /// <summary>sp-cri-PID-RANDOM: unique per process and per instance, recognisable when swept.</summary>
    public string Name { get; }

    public string Path => $"/var/run/netns/{Name}";

    public static async Task<IsolatedNetwork> CreateAsync(CancellationToken cancellationToken = default)
    {
        var network = new IsolatedNetwork($"sp-cri-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}");
        (await Tool.RunAsync("ip", ["netns", "add", network.Name], cancellationToken).ConfigureAwait(false)).EnsureSuccess();
        try
        {
            // CRI's stream server listens on 127.0.0.1 in containerd's namespace: lo must be up.
            (await Tool.RunAsync("ip", ["-n", network.Name, "link", "set", "lo", "up"], cancellationToken).ConfigureAwait(false)).EnsureSuccess();
        }
        catch
        {
            await network.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return network;
    }

    /// <summary>Runs a program inside the namespace (<c>ip netns exec</c>).</summary>
    public Task<ToolResult> ExecAsync(IReadOnlyList<string> command, CancellationToken cancellationToken = default, TimeSpan? timeout = null) =>
        Tool.RunAsync("ip", ["netns", "exec", Name, .. command], cancellationToken, timeout);

    /// <summary>An HTTP client whose connections are opened inside the namespace (the socket is made there; it stays bound to it).</summary>
    public HttpClient CreateHttpClient(TimeSpan timeout)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            PooledConnectionLifetime = TimeSpan.Zero,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = await NetworkNamespace.RunAsync(Path, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp), cancellationToken).ConfigureAwait(false);
                try
                {
                    await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(context.DnsEndPoint.Host), context.DnsEndPoint.Port), cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { Timeout = timeout };
    }

    /// <summary>Whether the namespace still exists (its bind mount under /var/run/netns).</summary>
    public bool Exists => File.Exists(Path);

    public async ValueTask DisposeAsync()
    {
        if (Exists)
        {
            await Tool.RunAsync("ip", ["netns", "del", Name]).ConfigureAwait(false);
        }
    }
}
