using CliWrap;
using CliWrap.Buffered;

namespace Sealpod.Tee.Tests.Interop;

/// <summary>
/// Builds the Go simple-kbs stand-in (Interop/simple-kbs, Debian's grpc-go 1.33) once for the collection, into a
/// temporary directory removed afterwards.
/// </summary>
public sealed class SimpleKbsBuild : IAsyncLifetime
{
    // A safety net against a hung toolchain, not a performance assertion.
    private static readonly TimeSpan BuildLimit = TimeSpan.FromMinutes(5);

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("sealpod-simple-kbs-");

    public string Executable => Path.Combine(_directory.FullName, "simple-kbs");

    public async Task InitializeAsync()
    {
        // Debian's Go sources, then the package the Go peers share (tests/interop/gopath/src/sealpod/interop).
        var environment = GoToolchain.GoPathEnvironment(Repository.Combine("tests", "interop", "gopath"));
        environment["CGO_ENABLED"] = "0";
        if (Environment.GetEnvironmentVariable("HOME") is null && Environment.GetEnvironmentVariable("GOCACHE") is null)
        {
            environment["GOCACHE"] = Path.Combine(_directory.FullName, "gocache");
        }

        using var limit = new CancellationTokenSource(BuildLimit);
        BufferedCommandResult go;
        try
        {
            go = await Cli.Wrap("go")
                .WithArguments(["build", "-o", Executable, "."])
                .WithWorkingDirectory(Repository.Combine("src", "Tee.Tests", "Interop", "simple-kbs"))
                .WithEnvironmentVariables(environment)
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(limit.Token);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            throw new TimeoutException("go build of the simple-kbs stand-in did not finish");
        }

        if (!go.IsSuccess)
        {
            throw new InvalidOperationException($"go build of the simple-kbs stand-in failed:\n{go.StandardError}{go.StandardOutput}");
        }
    }

    public Task DisposeAsync()
    {
        _directory.Refresh();
        if (_directory.Exists)
        {
            _directory.Delete(recursive: true);
        }

        return Task.CompletedTask;
    }
}
