namespace Sealpod.TestSupport;

/// <summary>
/// The real gRPC server of tests/interop/grpc-go (Debian's grpc-go 1.33), built into a
/// temporary directory (GoProgramBuild) and run for the whole test collection. It listens on loopback TCP and
/// on a unix socket in that directory, and exits when its stdin closes. Sealpod.Rpc.Tests calls it;
/// Sealpod.Tee.Tests uses it for the simple-kbs client's calls.
/// </summary>
public sealed class GoGrpcServer() : GoProgramBuild(
    "grpc-go",
    Repository.Combine("tests", "interop", "grpc-go"),
    Repository.Combine("tests", "interop", "gopath"))
{
    // A safety net against a hung server, not a performance assertion.
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(30);

    private Process? _server;

    public Uri TcpAddress { get; private set; } = new("http://127.0.0.1:0");

    public string UnixSocketPath => Path.Combine(WorkDirectory, "grpc.sock");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        try
        {
            await StartAsync(Executable);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public override async Task DisposeAsync()
    {
        if (_server is { } server)
        {
            _server = null;
            // Closing stdin is the server's signal to stop and remove its socket.
            await StdinStoppedProcess.StopAsync(server);
        }

        await base.DisposeAsync();
    }

    private async Task StartAsync(string executable)
    {
        var startInfo = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add("-unix");
        startInfo.ArgumentList.Add(UnixSocketPath);
        _server = Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start grpc-go.");

        using var limit = new CancellationTokenSource(StartLimit);
        while (await _server.StandardOutput.ReadLineAsync(limit.Token) is { } line)
        {
            if (line.StartsWith("tcp=", StringComparison.Ordinal))
            {
                TcpAddress = new Uri($"http://{line["tcp=".Length..]}");
            }
            else if (line == "ready")
            {
                return;
            }
        }

        throw new InvalidOperationException($"grpc-go exited before it was ready (exit code {(_server.HasExited ? _server.ExitCode : -1)}).");
    }
}
