using System.Net.Sockets;

namespace Sealpod.Vmm.Tests.Qmp;

/// <summary>
/// Wire behaviour QEMU cannot be made to show on demand (a greeting split byte by byte, replies
/// out of order, garbage, an endless line), against a scripted peer on a real unix socket.
/// Everything QEMU can show is tested against QEMU in <see cref="QmpClientQemuTests"/>.
/// </summary>
public sealed class QmpClientProtocolTests
{
    private const string Greeting = "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7}, \"package\": \"test\"}, \"capabilities\": [\"oob\"]}}\r\n";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_greeting_and_replies_trickled_one_byte_at_a_time_parse()
    {
        await using var peer = new ScriptedPeer();
        var connect = QmpClient.ConnectAsync(peer.Path);
        var server = await peer.AcceptAsync();
        await server.TrickleAsync(Greeting);
        var negotiate = await server.ReadCommandAsync();
        Assert.Equal("qmp_capabilities", negotiate.Execute);
        await server.TrickleAsync($"{{\"return\": {{}}, \"id\": {negotiate.Id}}}\r\n");
        await using var qmp = await connect.WaitAsync(Wait);

        Assert.Equal("7.2.0 (test)", qmp.Greeting.Version.ToString());
        var status = qmp.QueryStatusAsync();
        var command = await server.ReadCommandAsync();
        await server.TrickleAsync($"{{\"return\": {{\"status\": \"running\", \"singlestep\": false, \"running\": true}}, \"id\": {command.Id}}}\r\n");
        Assert.True((await status.WaitAsync(Wait)).Running);
    }

    [Fact]
    public async Task Replies_are_matched_by_id_not_by_order_and_events_interleave()
    {
        await using var peer = new ScriptedPeer();
        var (qmp, server) = await peer.ConnectAsync();
        await using (qmp)
        {
            var first = qmp.ExecuteAsync("first");
            var a = await server.ReadCommandAsync();
            var second = qmp.ExecuteAsync("second");
            var b = await server.ReadCommandAsync();

            await server.WriteAsync(
                $"{{\"return\": 2, \"id\": {b.Id}}}\r\n" +
                "{\"timestamp\": {\"seconds\": 1700000000, \"microseconds\": 5}, \"event\": \"STOP\"}\r\n" +
                $"{{\"return\": 1, \"id\": {a.Id}}}\r\n");

            Assert.Equal(1, (await first.WaitAsync(Wait)).GetInt32());
            Assert.Equal(2, (await second.WaitAsync(Wait)).GetInt32());
            var stop = await qmp.Events.ReadAsync().AsTask().WaitAsync(Wait);
            Assert.Equal("STOP", stop.Name);
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000).AddTicks(50), stop.Timestamp);
            Assert.Equal(JsonValueKind.Undefined, stop.Data.ValueKind);
        }
    }

    [Fact]
    public async Task Commands_are_sent_as_one_json_line_with_typed_arguments()
    {
        await using var peer = new ScriptedPeer();
        var (qmp, server) = await peer.ConnectAsync();
        await using (qmp)
        {
            var add = qmp.DeviceAddAsync(new DeviceAddArguments { Driver = "scsi-hd", Id = "disk-a", Drive = "drive-a", Bus = "scsi0.0", Channel = 0, ScsiId = 0, Lun = 1 });
            var command = await server.ReadCommandAsync();
            Assert.Equal(
                $"{{\"execute\":\"device_add\",\"arguments\":{{\"driver\":\"scsi-hd\",\"id\":\"disk-a\",\"drive\":\"drive-a\",\"bus\":\"scsi0.0\",\"channel\":0,\"scsi-id\":0,\"lun\":1}},\"id\":{command.Id}}}",
                command.Line);
            await server.WriteAsync($"{{\"error\": {{\"class\": \"GenericError\", \"desc\": \"Duplicate device ID 'disk-a'\"}}, \"id\": {command.Id}}}\r\n");
            var error = await Assert.ThrowsAsync<QmpException>(() => add.WaitAsync(Wait));
            Assert.Equal("QMP command 'device_add' failed: GenericError: Duplicate device ID 'disk-a'", error.Message);
        }
    }

    // Found by fuzzing (make fuzz, target qmp): a null member passed "required" and ConnectAsync threw ArgumentNullException.
    [Theory]
    [InlineData("{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7}}, \"capabilities\": null}}\r\n")]
    [InlineData("{\"QMP\": {\"version\": null, \"capabilities\": []}}\r\n")]
    [InlineData("{\"QMP\": {\"version\": {\"qemu\": null}, \"capabilities\": []}}\r\n")]
    public async Task A_greeting_with_null_members_fails_the_connect_with_a_clear_error(string greeting)
    {
        await using var peer = new ScriptedPeer();
        var connect = QmpClient.ConnectAsync(peer.Path);
        var server = await peer.AcceptAsync();
        await server.WriteAsync(greeting);

        var error = await Assert.ThrowsAsync<QmpConnectionClosedException>(() => connect.WaitAsync(Wait));
        var cause = Assert.IsType<InvalidDataException>(error.InnerException);
        Assert.Contains("QMP greeting lacks version.qemu or a capabilities list", cause.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_json_closes_the_connection_and_fails_what_is_pending()
    {
        await using var peer = new ScriptedPeer();
        var (qmp, server) = await peer.ConnectAsync();
        await using (qmp)
        {
            var pending = qmp.QueryStatusAsync();
            await server.ReadCommandAsync();
            await server.WriteAsync("{\"return\": oops}\r\n");

            var error = await Assert.ThrowsAsync<QmpConnectionClosedException>(() => pending.WaitAsync(Wait));
            Assert.Contains("the QMP connection failed", error.Message, StringComparison.Ordinal);
            Assert.IsAssignableFrom<JsonException>(error.InnerException);
            await Assert.ThrowsAsync<QmpConnectionClosedException>(() => qmp.QueryStatusAsync());
        }
    }

    [Fact]
    public async Task A_line_without_end_beyond_the_limit_is_refused_rather_than_buffered()
    {
        await using var peer = new ScriptedPeer();
        var (qmp, server) = await peer.ConnectAsync();
        await using (qmp)
        {
            var pending = qmp.QueryStatusAsync();
            await server.ReadCommandAsync();
            var chunk = new string(' ', 1024 * 1024);
            var write = Task.Run(async () =>
            {
                try
                {
                    for (var i = 0; i < 10; i++)
                    {
                        await server.WriteAsync("{\"return\":\"" + chunk);
                    }
                }
                catch (IOException)
                {
                    // The client hung up, as it should.
                }
            });

            var error = await Assert.ThrowsAsync<QmpConnectionClosedException>(() => pending.WaitAsync(Wait));
            Assert.IsType<InvalidDataException>(error.InnerException);
            await write.WaitAsync(Wait);
        }
    }

    [Fact]
    public async Task Replies_without_a_known_id_are_ignored()
    {
        await using var peer = new ScriptedPeer();
        var (qmp, server) = await peer.ConnectAsync();
        await using (qmp)
        {
            var pending = qmp.ExecuteAsync("x");
            var command = await server.ReadCommandAsync();
            await server.WriteAsync(
                "{\"error\": {\"class\": \"GenericError\", \"desc\": \"JSON parse error\"}}\r\n" +
                "{\"return\": {}, \"id\": 987654}\r\n" +
                "\r\n" +
                $"{{\"return\": \"ok\", \"id\": {command.Id}}}\r\n");
            Assert.Equal("ok", (await pending.WaitAsync(Wait)).GetString());
        }
    }

    [Fact]
    public async Task A_peer_that_never_greets_lets_connect_be_cancelled_and_closes_the_socket()
    {
        await using var peer = new ScriptedPeer();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var connect = QmpClient.ConnectAsync(peer.Path, cancellationToken: cancel.Token);
        var server = await peer.AcceptAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connect);
        Assert.Equal(0, await server.ReadToEndAsync().WaitAsync(Wait));
    }

    /// <summary>A unix socket the test scripts by hand.</summary>
    private sealed class ScriptedPeer : IAsyncDisposable
    {
        private readonly TempDirectory _directory = new();
        private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        private readonly List<Connection> _connections = [];

        public ScriptedPeer()
        {
            Path = _directory.File("qmp.sock");
            _listener.Bind(new UnixDomainSocketEndPoint(Path));
            _listener.Listen(1);
        }

        public string Path { get; }

        public async Task<Connection> AcceptAsync()
        {
            var connection = new Connection(await _listener.AcceptAsync().WaitAsync(Wait));
            _connections.Add(connection);
            return connection;
        }

        public async Task<(QmpClient Client, Connection Server)> ConnectAsync()
        {
            var connect = QmpClient.ConnectAsync(Path);
            var server = await AcceptAsync();
            await server.WriteAsync(Greeting);
            var negotiate = await server.ReadCommandAsync();
            await server.WriteAsync($"{{\"return\": {{}}, \"id\": {negotiate.Id}}}\r\n");
            return (await connect.WaitAsync(Wait), server);
        }

        public ValueTask DisposeAsync()
        {
            foreach (var connection in _connections)
            {
                connection.Dispose();
            }

            _listener.Dispose();
            _directory.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private sealed class Connection(Socket socket) : IDisposable
    {
        private readonly NetworkStream _stream = new(socket, ownsSocket: true);
        private readonly List<byte> _pending = [];

        public async Task WriteAsync(string text) => await _stream.WriteAsync(Encoding.UTF8.GetBytes(text));

        public async Task TrickleAsync(string text)
        {
            foreach (var b in Encoding.UTF8.GetBytes(text))
            {
                await _stream.WriteAsync(new[] { b });
                await _stream.FlushAsync();
            }
        }

        public async Task<(string Execute, long Id, string Line)> ReadCommandAsync()
        {
            var buffer = new byte[4096];
            while (!_pending.Contains((byte)'\n'))
            {
                var read = await _stream.ReadAsync(buffer).AsTask().WaitAsync(Wait);
                if (read == 0)
                {
                    throw new EndOfStreamException();
                }

                _pending.AddRange(buffer.AsSpan(0, read).ToArray());
            }

            var end = _pending.IndexOf((byte)'\n');
            var line = Encoding.UTF8.GetString(_pending.GetRange(0, end).ToArray());
            _pending.RemoveRange(0, end + 1);
            using var document = JsonDocument.Parse(line);
            return (document.RootElement.GetProperty("execute").GetString()!, document.RootElement.GetProperty("id").GetInt64(), line);
        }

        public async Task<int> ReadToEndAsync()
        {
            var buffer = new byte[4096];
            return await _stream.ReadAsync(buffer);
        }

        public void Dispose() => _stream.Dispose();
    }
}
