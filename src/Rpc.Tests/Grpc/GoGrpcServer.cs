using System.Diagnostics;
using CliWrap;
using CliWrap.Buffered;

namespace Sealpod.Rpc.Tests.Grpc;

/// <summary>
/// The real gRPC server of tests/interop/grpc-go (Debian's grpc-go 1.33), built into a
/// temporary directory and run for the whole test collection. It listens on loopback TCP and
/// on a unix socket in that directory, and exits when its stdin closes. Sealpod.Tee.Tests links
/// this file for the simple-kbs client's calls.
/// </summary>
public sealed class GoGrpcServer : IAsyncLifetime
{
    // Safety nets against a hung toolchain or server, not performance assertions.
    private static readonly TimeSpan BuildLimit = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(30);

    private readonly DirectoryInfo _workDirectory = Directory.CreateTempSubdirectory("sealpod-grpc-go-");
    private Process? _server;

    public Uri TcpAddress { get; private set; } = new("http://127.0.0.1:0");

    public string UnixSocketPath => Path.Combine(_workDirectory.FullName, "grpc.sock");

    public async Task InitializeAsync()
    {
        try
        {
            string executable = Path.Combine(_workDirectory.FullName, "grpc-go");
            await BuildAsync(executable);
            await StartAsync(executable);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (_server is { } server)
        {
            _server = null;
            try
            {
                // Closing stdin is the server's signal to stop and remove its socket.
                server.StandardInput.Close();
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await server.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                server.Kill(entireProcessTree: true);
                await server.WaitForExitAsync(CancellationToken.None);
            }
            finally
            {
                server.Dispose();
            }
        }

        _workDirectory.Refresh();
        if (_workDirectory.Exists)
        {
            _workDirectory.Delete(recursive: true);
        }
    }

    private async Task BuildAsync(string executable)
    {
        // Debian's Go sources, then the package the Go peers share (tests/interop/gopath/src/sealpod/interop).
        var environment = GoToolchain.GoPathEnvironment(Repository.Combine("tests", "interop", "gopath"));
        environment["CGO_ENABLED"] = "0";
        if (Environment.GetEnvironmentVariable("GOCACHE") is null
            && Environment.GetEnvironmentVariable("HOME") is null
            && Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is null)
        {
            environment["GOCACHE"] = Path.Combine(_workDirectory.FullName, "gocache");
        }

        using var limit = new CancellationTokenSource(BuildLimit);
        BufferedCommandResult build;
        try
        {
            build = await Cli.Wrap("go")
                .WithArguments(["build", "-o", executable, "."])
                .WithWorkingDirectory(Repository.Combine("tests", "interop", "grpc-go"))
                .WithEnvironmentVariables(environment)
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(limit.Token);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            throw new TimeoutException("go build of tests/interop/grpc-go did not finish.");
        }

        if (!build.IsSuccess)
        {
            throw new InvalidOperationException($"go build of tests/interop/grpc-go failed:\n{build.StandardError}{build.StandardOutput}");
        }
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
