using Sealpod.Linux.Netlink;
using Sealpod.Runtime.Network.PortForward;

namespace Sealpod.Runtime.Tests.Network;

/// <summary>
/// The port-forward relay against a real network namespace and real nat rules, without a VM: the guest's address is
/// put on the namespace's lo and a listener there stands in for the guest's service, so a connection to 127.0.0.1:PORT
/// in the namespace must come out at the guest's address on the same PORT (redirect, SO_ORIGINAL_DST, relay, half-close).
/// The CRI test (tests/integration CriTests) covers the whole path to a real guest.
/// </summary>
[Trait("Category", "Root")]
public sealed class PortForwarderTests : IDisposable
{
    private readonly TestNamespace _pod = new();

    public PortForwarderTests()
    {
        _pod.IpIn("link", "set", "lo", "up");
        _pod.IpIn("addr", "add", PortForwardLink.GuestAddress + "/32", "dev", "lo");
    }

    public void Dispose() => _pod.Dispose();

    [Fact]
    public async Task A_loopback_connection_reaches_the_guest_address_on_the_port_asked_for_and_stopping_leaves_nothing()
    {
        using var guest = await NetworkNamespace.RunAsync(_pod.Path, () => Listen(PortForwardLink.GuestAddress));
        int port = ((IPEndPoint)guest.LocalEndPoint!).Port;
        var served = ServeOnceAsync(guest);

        var forwarder = await PortForwarder.StartAsync(_pod.Path, NullLogger.Instance, CancellationToken.None);
        string reply;
        try
        {
            Assert.Contains($"-A {LoopbackRedirect.Chain} -d 127.0.0.1/32 -p tcp -j REDIRECT --to-ports {forwarder.ListenerPort}", Rules());
            Assert.Contains("inet 169.254.253.1/30", _pod.IpIn("-o", "addr", "show", "dev", PortForwardLink.TapName));
            reply = await ExchangeAsync(port, "hello through the relay");
        }
        finally
        {
            await forwarder.DisposeAsync();
            await forwarder.DisposeAsync();
        }

        Assert.Equal("guest got: hello through the relay", reply);
        Assert.Equal("hello through the relay", await served);
        Assert.DoesNotContain(LoopbackRedirect.Chain, Rules());
        Assert.DoesNotContain(PortForwardLink.TapName, _pod.IpIn("-o", "link", "show"));
    }

    private string Rules()
    {
        var (exit, output) = _pod.Exec("iptables", "-t", "nat", "-S");
        Assert.Equal(0, exit);
        return output;
    }

    private static Socket Listen(IPAddress address)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(address, 0));
        socket.Listen(1);
        return socket;
    }

    // Reads the request to its end (the relay passes the client's half-close on), answers, closes.
    private static async Task<string> ServeOnceAsync(Socket listener)
    {
        using var connection = await listener.AcceptAsync();
        string request = await ReadToEndAsync(connection);
        await connection.SendAsync(Encoding.UTF8.GetBytes("guest got: " + request), SocketFlags.None);
        connection.Shutdown(SocketShutdown.Send);
        return request;
    }

    // As containerd's port-forward dials: inside the namespace, to localhost.
    private async Task<string> ExchangeAsync(int port, string request)
    {
        using var client = await NetworkNamespace.RunAsync(_pod.Path, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token);
        await client.SendAsync(Encoding.UTF8.GetBytes(request), SocketFlags.None, timeout.Token);
        client.Shutdown(SocketShutdown.Send);
        return await ReadToEndAsync(client).WaitAsync(timeout.Token);
    }

    private static async Task<string> ReadToEndAsync(Socket socket)
    {
        var received = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None)) > 0)
        {
            received.Write(buffer, 0, read);
        }

        return Encoding.UTF8.GetString(received.ToArray());
    }
}
