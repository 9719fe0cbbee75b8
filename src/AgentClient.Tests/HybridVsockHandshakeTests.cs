using System.Net.Sockets;
using System.Text;
using Sealpod.AgentClient.Transport;

namespace Sealpod.AgentClient.Tests;

/// <summary>
/// Cloud Hypervisor and Firecracker cannot run on this host, so their hybrid-vsock listener is played
/// by a unix socket server in the test that follows their documented preamble (CONNECT n / OK m).
/// </summary>
public sealed class HybridVsockHandshakeTests() : TempDirectoryTest("sealpod-hv-")
{
    [Fact]
    public async Task Sends_CONNECT_and_leaves_bytes_after_OK_to_the_caller()
    {
        string path = Temp.Combine("hv.sock");
        using var listener = Listen(path);
        var server = Task.Run(async () =>
        {
            using var peer = await listener.AcceptAsync();
            var line = await ReadLineAsync(peer);
            await peer.SendAsync(Encoding.ASCII.GetBytes("OK 1073741824\nGUEST"));
            return line;
        });

        await using var stream = await AgentDialer.ConnectOnceAsync(new HybridVsockEndpoint(path, 1024));
        var buffer = new byte[5];
        await stream.ReadExactlyAsync(buffer);

        Assert.Equal("CONNECT 1024", await server);
        Assert.Equal("GUEST", Encoding.ASCII.GetString(buffer));
    }

    [Fact]
    public async Task A_refusal_names_the_port_and_the_reply()
    {
        string path = Temp.Combine("hv.sock");
        using var listener = Listen(path);
        var server = Task.Run(async () =>
        {
            using var peer = await listener.AcceptAsync();
            _ = await ReadLineAsync(peer);
            await peer.SendAsync(Encoding.ASCII.GetBytes("ERR no listener\n"));
        });

        var error = await Assert.ThrowsAsync<IOException>(() => AgentDialer.ConnectOnceAsync(new HybridVsockEndpoint(path, 1024)));
        await server;

        Assert.Contains("CONNECT 1024", error.Message, StringComparison.Ordinal);
        Assert.Contains("ERR no listener", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_VMM_that_hangs_up_is_reported_as_nothing_listening()
    {
        string path = Temp.Combine("hv.sock");
        using var listener = Listen(path);
        var server = Task.Run(async () =>
        {
            using var peer = await listener.AcceptAsync();
            _ = await ReadLineAsync(peer);
            peer.Shutdown(SocketShutdown.Both);
        });

        var error = await Assert.ThrowsAsync<IOException>(() => AgentDialer.ConnectOnceAsync(new HybridVsockEndpoint(path, 1024)));
        await server;

        Assert.Contains("closed the connection", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reply_is_read_even_when_it_arrives_one_byte_at_a_time()
    {
        string path = Temp.Combine("hv.sock");
        using var listener = Listen(path);
        var server = Task.Run(async () =>
        {
            using var peer = await listener.AcceptAsync();
            _ = await ReadLineAsync(peer);
            foreach (byte b in Encoding.ASCII.GetBytes("OK 5\n"))
            {
                await peer.SendAsync(new[] { b });
                await Task.Delay(5);
            }
        });

        await using var stream = await AgentDialer.ConnectOnceAsync(new HybridVsockEndpoint(path, 1024));
        await server;
    }

    private static Socket Listen(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        socket.Listen(1);
        return socket;
    }

    private static async Task<string> ReadLineAsync(Socket socket)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (await socket.ReceiveAsync(one) == 1 && one[0] != '\n')
        {
            line.Append((char)one[0]);
        }

        return line.ToString();
    }
}
