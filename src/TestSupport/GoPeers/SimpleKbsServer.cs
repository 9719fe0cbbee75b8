namespace Sealpod.TestSupport;

/// <summary>
/// One running simple-kbs stand-in, configured with the boot files whose launch digest it accepts. It exits when its
/// stdin closes; disposing waits for that (and kills it if it hangs), so no process outlives the test.
/// </summary>
public sealed class SimpleKbsServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private SimpleKbsServer(Process process, string address, byte[] digest)
    {
        _process = process;
        Address = address;
        Digest = digest;
    }

    /// <summary>host:port on loopback.</summary>
    public string Address { get; }

    /// <summary>The launch digest the broker computed itself from the boot files.</summary>
    public byte[] Digest { get; }

    /// <summary>What the broker logged (no secrets).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>
    /// The broker's log once it holds <paramref name="expected"/>: its stdout is read asynchronously, so a
    /// line it wrote just before answering can arrive a moment after the answer.
    /// </summary>
    public async Task<string> LogContainingAsync(string expected, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            string log = Log;
            if (log.Contains(expected, StringComparison.Ordinal) || DateTime.UtcNow >= deadline)
            {
                return log;
            }

            await Task.Delay(20);
        }
    }

    public static async Task<SimpleKbsServer> StartAsync(SimpleKbsBuild build, string ovmf, string kernel, string? initrd, string cmdline, string keyset, string secret)
    {
        var start = new ProcessStartInfo(build.Executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])["-ovmf", ovmf, "-kernel", kernel, "-initrd", initrd ?? string.Empty, "-cmdline", cmdline, "-keyset", keyset, "-secret", secret])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start simple-kbs");
        string? address = null;
        byte[]? digest = null;
        try
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (await process.StandardOutput.ReadLineAsync(limit.Token) is { } line)
            {
                if (line.StartsWith("addr=", StringComparison.Ordinal))
                {
                    address = line["addr=".Length..];
                }
                else if (line.StartsWith("digest=", StringComparison.Ordinal))
                {
                    digest = Convert.FromBase64String(line["digest=".Length..]);
                }
                else if (line == "ready")
                {
                    break;
                }
            }

            if (address is null || digest is null)
            {
                throw new InvalidOperationException($"simple-kbs exited before it was ready: {await process.StandardError.ReadToEndAsync(limit.Token)}");
            }
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            process.Dispose();
            throw;
        }

        var server = new SimpleKbsServer(process, address, digest);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } data)
            {
                lock (server._log)
                {
                    server._log.AppendLine(data);
                }
            }
        };
        process.BeginErrorReadLine();
        return server;
    }

    public async ValueTask DisposeAsync() => await StdinStoppedProcess.StopAsync(_process);
}
