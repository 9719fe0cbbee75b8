using System.Diagnostics;

namespace Sealpod.HostCheck.Tests;

/// <summary>
/// Finding the running containerd in the real /proc. A real containerd is not needed: a script named "containerd"
/// keeps that name as its comm, and its cmdline and environ are the kernel's, read exactly as a daemon's would be.
/// </summary>
public sealed class ContainerdProcessTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("sealpod-ctrd-");
    private Process? _process;

    public void Dispose()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process?.Dispose();
        _directory.Delete(recursive: true);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Shim_is_looked_for_on_the_running_containerds_path()
    {
        var config = Path.Join(_directory.FullName, "config.toml");
        await File.WriteAllTextAsync(config, "version = 2\n");
        var fakeContainerd = Path.Join(_directory.FullName, "containerd");
        await File.WriteAllTextAsync(fakeContainerd, "#!/bin/sh\nread line\n");
        File.SetUnixFileMode(fakeContainerd, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var shimDirectory = Directory.CreateDirectory(Path.Join(_directory.FullName, "shims")).FullName;
        var shim = Path.Join(shimDirectory, ContainerdChecks.ShimBinary);
        await File.WriteAllTextAsync(shim, "#!/bin/sh\n");
        File.SetUnixFileMode(shim, UnixFileMode.UserRead | UnixFileMode.UserExecute);

        var start = new ProcessStartInfo(fakeContainerd) { RedirectStandardInput = true, UseShellExecute = false };
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(config);
        start.Environment["PATH"] = $"/nonexistent:{shimDirectory}";
        _process = Process.Start(start)!;
        await WaitForCommAsync(_process.Id, "containerd");

        var probe = new LinuxHostProbe();
        var found = ContainerdProcess.Find(probe, config, CheckContext.DefaultContainerdConfig);
        Assert.NotNull(found);
        Assert.Equal(_process.Id, found.Pid);
        Assert.Equal($"/nonexistent:{shimDirectory}", found.PathVariable);
        Assert.Equal(config, found.ConfigFile);

        // The checks use containerd's PATH, not this process's (which has no shim).
        var context = new CheckContext(probe, config: null, containerdConfigPath: config, searchPath: "/nonexistent");
        var result = (await new ContainerdChecks().RunAsync(context)).Single(r => r.Id == CheckIds.ContainerdShim);
        Assert.Equal(CheckStatus.Pass, result.Status);
        Assert.Equal(shim, result.Summary);
        Assert.Equal($"/nonexistent:{shimDirectory}", result.EvidenceValue($"/proc/{_process.Id}/environ PATH"));

        // A containerd started for another config file is not the one that reads this config.
        Assert.Null(ContainerdProcess.Find(probe, Path.Join(_directory.FullName, "other.toml"), CheckContext.DefaultContainerdConfig));

        await _process.StandardInput.WriteLineAsync("done");
        await _process.WaitForExitAsync();
    }

    private static async Task WaitForCommAsync(int pid, string comm)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!File.Exists($"/proc/{pid}/comm") || File.ReadAllText($"/proc/{pid}/comm").Trim() != comm)
        {
            Assert.True(DateTime.UtcNow < deadline, $"process {pid} never showed comm {comm}");
            await Task.Delay(10);
        }
    }
}
