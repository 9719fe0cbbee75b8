using CliWrap;
using CliWrap.Buffered;

namespace Sealpod.Vmm.Tests.CloudHypervisor;

/// <summary>
/// Builds CloudHypervisor/fake-cloud-hypervisor (Go, standard library only) once for the collection. Cloud Hypervisor
/// itself is not packaged by Debian 12, so this stand-in serves its API; the driver's requests are real HTTP/1.1 over
/// a real unix socket, and each is checked against Cloud Hypervisor's OpenAPI schema.
/// </summary>
public sealed class FakeCloudHypervisorBuild : IAsyncLifetime
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("sealpod-fake-clh-");

    public string Executable => Path.Combine(_directory.FullName, "cloud-hypervisor");

    /// <summary>The requests the process with <paramref name="pid"/> received, as it logged them.</summary>
    public string RequestLog(int pid) => Path.Combine(_directory.FullName, $"requests-{pid}.jsonl");

    public async Task InitializeAsync()
    {
        var environment = new Dictionary<string, string?>
        {
            ["GO111MODULE"] = "off",
            ["GOFLAGS"] = string.Empty,
            ["CGO_ENABLED"] = "0",
        };
        if (Environment.GetEnvironmentVariable("HOME") is null && Environment.GetEnvironmentVariable("GOCACHE") is null)
        {
            environment["GOCACHE"] = Path.Combine(_directory.FullName, "gocache");
        }

        // A safety net against a hung toolchain (the build is killed), not a performance assertion.
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var go = await Cli.Wrap("go")
            .WithArguments(["build", "-o", Executable, "."])
            .WithWorkingDirectory(SourceDirectory())
            .WithEnvironmentVariables(environment)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(limit.Token);
        if (!go.IsSuccess)
        {
            throw new InvalidOperationException($"go build of fake-cloud-hypervisor failed:\n{go.StandardError}{go.StandardOutput}");
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

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string file = "") =>
        Path.Combine(Path.GetDirectoryName(file)!, "fake-cloud-hypervisor");
}
