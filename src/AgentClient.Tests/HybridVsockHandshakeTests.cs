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
        using var vmm = new FakeVmm(Temp, peer => peer.SendAsync(Encoding.ASCII.GetBytes("OK 1073741824\nGUEST")));

        await using var stream = await AgentDialer.ConnectOnceAsync(vmm.Endpoint);
        var buffer = new byte[5];
        await stream.ReadExactlyAsync(buffer);

        Assert.Equal("CONNECT 1024", await vmm.Served);
        Assert.Equal("GUEST", Encoding.ASCII.GetString(buffer));
    }

    [Fact]
    public async Task A_refusal_names_the_port_and_the_reply()
    {
        using var vmm = new FakeVmm(Temp, peer => peer.SendAsync(Encoding.ASCII.GetBytes("ERR no listener\n")));

        var error = await Assert.ThrowsAsync<IOException>(() => AgentDialer.ConnectOnceAsync(vmm.Endpoint));
        await vmm.Served;

        Assert.Contains("CONNECT 1024", error.Message, StringComparison.Ordinal);
        Assert.Contains("ERR no listener", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_VMM_that_hangs_up_is_reported_as_nothing_listening()
    {
        using var vmm = new FakeVmm(Temp, peer =>
        {
            peer.Shutdown(SocketShutdown.Both);
            return Task.CompletedTask;
        });

        var error = await Assert.ThrowsAsync<IOException>(() => AgentDialer.ConnectOnceAsync(vmm.Endpoint));
        await vmm.Served;

        Assert.Contains("closed the connection", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reply_is_read_even_when_it_arrives_one_byte_at_a_time()
    {
        using var vmm = new FakeVmm(Temp, async peer =>
        {
            foreach (byte b in Encoding.ASCII.GetBytes("OK 5\n"))
            {
                await peer.SendAsync(new[] { b });
                await Task.Delay(5);
            }
        });

        await using var stream = await AgentDialer.ConnectOnceAsync(vmm.Endpoint);
        await vmm.Served;
    }

    /// <summary>
    /// The VMM's hybrid-vsock listener on <c>hv.sock</c>: accepts one connection, reads the preamble line, answers
    /// with <c>reply</c>; <see cref="Served"/> ends with the line it read. Disposing closes the listener.
    /// </summary>
    private sealed class FakeVmm : IDisposable
    {
        private readonly Socket _listener;

        public FakeVmm(TempDirectory directory, Func<Socket, Task> reply)
        {
            string path = directory.Combine("hv.sock");
            _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            _listener.Bind(new UnixDomainSocketEndPoint(path));
            _listener.Listen(1);
            Endpoint = new HybridVsockEndpoint(path, 1024);
            Served = Task.Run(async () =>
            {
                using var peer = await _listener.AcceptAsync();
                var line = await ReadLineAsync(peer);
                await reply(peer);
                return line;
            });
        }

        public HybridVsockEndpoint Endpoint { get; }

        public Task<string> Served { get; }

        public void Dispose() => _listener.Dispose();
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
