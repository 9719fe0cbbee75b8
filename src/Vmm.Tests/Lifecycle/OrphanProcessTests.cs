using System.Diagnostics;

namespace Sealpod.Vmm.Tests.Lifecycle;

/// <summary>
/// Killing what a lost owner recorded in a pid file. The processes are stand-ins (sleep under another argv[0]) whose
/// command lines name a VM directory the way a hypervisor's does.
/// </summary>
public sealed class OrphanProcessTests : TempDirectoryTest
{
    [Fact]
    public async Task Kills_the_recorded_process_that_names_the_directory_and_waits_until_it_is_gone()
    {
        var directory = Temp.File("vm");
        using var vmm = StandIn($"hypervisor --api-socket {directory}/api.sock");
        var pidFile = PidFile(vmm.Id);
        var warnings = new List<string>();

        var killed = await OrphanProcess.KillAsync(pidFile, OrphanProcess.DirectoryMarker(directory), warnings);

        Assert.Equal(vmm.Id, killed);
        Assert.Empty(warnings);
        Assert.True(vmm.WaitForExit(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Leaves_a_process_that_names_only_a_directory_with_the_same_prefix()
    {
        // Sandbox "vm" must not kill the VMM of sandbox "vm2" that now holds the recorded pid.
        var directory = Temp.File("vm");
        using var other = StandIn($"hypervisor --api-socket {directory}2/api.sock");
        try
        {
            var killed = await OrphanProcess.KillAsync(PidFile(other.Id), OrphanProcess.DirectoryMarker(directory), []);

            Assert.Null(killed);
            Assert.False(other.HasExited);
        }
        finally
        {
            other.Kill();
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not a pid")]
    [InlineData("1")]
    public async Task A_missing_or_meaningless_pid_file_kills_nothing(string? content)
    {
        var pidFile = Temp.File("x.pid");
        if (content is not null)
        {
            await File.WriteAllTextAsync(pidFile, content);
        }

        Assert.Null(await OrphanProcess.KillAsync(pidFile, "/", []));
    }

    /// <summary>
    /// Returns once the stand-in has exec'd: until then /proc shows bash's own command line, and a loaded machine
    /// (a parallel test run) let the kill check read that one.
    /// </summary>
    private static Process StandIn(string commandLine)
    {
        var process = Process.Start(new ProcessStartInfo("bash", ["-c", $"exec -a '{commandLine}' sleep 600"]))!;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!File.ReadAllText($"/proc/{process.Id}/cmdline").StartsWith(commandLine, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
            {
                process.Kill();
                throw new TimeoutException($"the stand-in did not exec '{commandLine}' within 10 s");
            }

            Thread.Sleep(10);
        }

        return process;
    }

    private string PidFile(int pid)
    {
        var path = Temp.File("vmm.pid");
        File.WriteAllText(path, pid.ToString(CultureInfo.InvariantCulture));
        return path;
    }
}
