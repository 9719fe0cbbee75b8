using System.Diagnostics;

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
        var start = new ProcessStartInfo("go") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = SourceDirectory() };
        foreach (var argument in (string[])["build", "-o", Executable, "."])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["GO111MODULE"] = "off";
        start.Environment["GOFLAGS"] = string.Empty;
        start.Environment["CGO_ENABLED"] = "0";
        if (Environment.GetEnvironmentVariable("HOME") is null && Environment.GetEnvironmentVariable("GOCACHE") is null)
        {
            start.Environment["GOCACHE"] = Path.Combine(_directory.FullName, "gocache");
        }

        using var go = Process.Start(start) ?? throw new InvalidOperationException("could not start go");
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var stderr = go.StandardError.ReadToEndAsync(limit.Token);
        var stdout = go.StandardOutput.ReadToEndAsync(limit.Token);
        await go.WaitForExitAsync(limit.Token);
        if (go.ExitCode != 0)
        {
            throw new InvalidOperationException($"go build of fake-cloud-hypervisor failed:\n{await stderr}{await stdout}");
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
