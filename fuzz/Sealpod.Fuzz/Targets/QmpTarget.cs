using System.Net.Sockets;
using System.Text.Json;
using Sealpod.Vmm.Qemu.Qmp;

namespace Sealpod.Fuzz.Targets;

/// <summary>
/// QMP as the shim reads it: the input is everything QEMU says on the socket (greeting, replies, events; paced by
/// the client's commands as QEMU answers them), then QEMU closes. A real <see cref="QmpClient"/> connects, negotiates (id 1), asks query-status (id 2) and query-cpus-fast
/// (id 3) and drains the events. Documented: QmpException (an error reply), QmpConnectionClosedException (QEMU went
/// away or said something malformed: the client closes), InvalidDataException and JsonException (a reply of the wrong
/// shape). Anything else, or a hang, is a crash.
/// </summary>
internal sealed class QmpTarget() : FuzzTarget("qmp", "QMP greeting, replies and events through QmpClient over a unix socket (src/Vmm/Qemu/Qmp)")
{
    // An abstract socket (a name with a leading NUL, Linux): nothing on disk to clean up, and it goes with the process.
    private readonly Lazy<(string Path, Socket Listener)> _listener = new(Listen);

    public override void Run(ReadOnlySpan<byte> input) => RunAsync(input.ToArray()).WaitAsync(TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();

    public override bool IsDocumented(Exception exception) =>
        exception is QmpException or QmpConnectionClosedException or InvalidDataException or JsonException;

    private static (string, Socket) Listen()
    {
        var path = $"\0sealpod-fuzz-qmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(4);
        return (path, listener);
    }

    private async Task RunAsync(byte[] input)
    {
        var (path, listener) = _listener.Value;
        var qemu = ServeAsync(listener, input);
        try
        {
            await using var client = await QmpClient.ConnectAsync(path).ConfigureAwait(false);
            try
            {
                var status = await client.QueryStatusAsync().ConfigureAwait(false);
                _ = status.ToString();
                foreach (var cpu in await client.QueryCpusFastAsync().ConfigureAwait(false))
                {
                    _ = cpu.ToString();
                }
            }
            finally
            {
                await foreach (var qmpEvent in client.Events.ReadAllAsync().ConfigureAwait(false))
                {
                    // What QemuHypervisor reads from SHUTDOWN and DEVICE_DELETED.
                    _ = qmpEvent.GetDataString("reason");
                    _ = qmpEvent.GetDataString("device");
                }
            }
        }
        finally
        {
            await qemu.ConfigureAwait(false);
        }
    }

    // QEMU's side, paced like QEMU: the first line (the greeting) at once, then after each command from the client the
    // input up to and including its next line with an "id" (events before a reply go with it). Whatever is left goes
    // when the client stops asking (it closed, or it waits for a reply the input never gives: 200 ms), then QEMU closes.
    private static async Task ServeAsync(Socket listener, byte[] input)
    {
        using var peer = await listener.AcceptAsync().ConfigureAwait(false);
        try
        {
            var lines = Lines(input);
            var next = 0;
            if (lines.Count > 0)
            {
                await peer.SendAsync(lines[next++], SocketFlags.None).ConfigureAwait(false);
            }

            var commands = new List<byte>();
            var buffer = new byte[4096];
            while (next < lines.Count)
            {
                using var quiet = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
                int read;
                try
                {
                    read = await peer.ReceiveAsync(buffer, SocketFlags.None, quiet.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                if (read == 0)
                {
                    break;
                }

                commands.AddRange(buffer.AsSpan(0, read));
                for (var newline = commands.IndexOf((byte)'\n'); newline >= 0 && next < lines.Count; newline = commands.IndexOf((byte)'\n'))
                {
                    commands.RemoveRange(0, newline + 1);
                    while (next < lines.Count)
                    {
                        var line = lines[next++];
                        await peer.SendAsync(line, SocketFlags.None).ConfigureAwait(false);
                        if (line.AsSpan().IndexOf("\"id\""u8) >= 0)
                        {
                            break;
                        }
                    }
                }
            }

            while (next < lines.Count)
            {
                await peer.SendAsync(lines[next++], SocketFlags.None).ConfigureAwait(false);
            }

            peer.Shutdown(SocketShutdown.Send);
            while (await peer.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (SocketException)
        {
        }
    }

    private static List<byte[]> Lines(byte[] input)
    {
        var lines = new List<byte[]>();
        var start = 0;
        for (var i = 0; i < input.Length; i++)
        {
            if (input[i] == '\n')
            {
                lines.Add(input[start..(i + 1)]);
                start = i + 1;
            }
        }

        if (start < input.Length)
        {
            lines.Add(input[start..]);
        }

        return lines;
    }
}
