using System.Diagnostics;
using Sealpod.Tee.Tests.TestSupport;

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
        var start = new ProcessStartInfo("go")
        {
            WorkingDirectory = Repository.Combine("src", "Tee.Tests", "Interop", "simple-kbs"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])["build", "-o", Executable, "."])
        {
            start.ArgumentList.Add(argument);
        }

        // Debian's Go sources, then the package the Go peers share (tests/interop/gopath/src/sealpod/interop).
        start.Environment["GOPATH"] = "/usr/share/gocode:" + Repository.Combine("tests", "interop", "gopath");
        start.Environment["GO111MODULE"] = "off";
        start.Environment["GOFLAGS"] = string.Empty;
        start.Environment["CGO_ENABLED"] = "0";
        if (Environment.GetEnvironmentVariable("HOME") is null && Environment.GetEnvironmentVariable("GOCACHE") is null)
        {
            start.Environment["GOCACHE"] = Path.Combine(_directory.FullName, "gocache");
        }

        using var go = Process.Start(start) ?? throw new InvalidOperationException("could not start go");
        using var limit = new CancellationTokenSource(BuildLimit);
        var stdout = go.StandardOutput.ReadToEndAsync(limit.Token);
        var stderr = go.StandardError.ReadToEndAsync(limit.Token);
        try
        {
            await go.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            go.Kill(entireProcessTree: true);
            await go.WaitForExitAsync(CancellationToken.None);
            throw new TimeoutException("go build of the simple-kbs stand-in did not finish");
        }

        if (go.ExitCode != 0)
        {
            throw new InvalidOperationException($"go build of the simple-kbs stand-in failed:\n{await stderr}{await stdout}");
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
