using CliWrap;

namespace Sealpod.Vmm.Tests.TestSupport;

/// <summary>Looks for processes by a marker in their command line and signals them, through /proc and kill(1).</summary>
public static class HostProcesses
{
    /// <summary>Pids whose command line contains <paramref name="marker"/> (zombies excluded: they have none).</summary>
    public static IReadOnlyList<int> FindByCommandLine(string marker)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var cmdline = Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(dir, "cmdline")));
                if (cmdline.Contains(marker, StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }

    /// <summary>Whether the pid exists at all (including as a zombie nobody reaped).</summary>
    public static bool Exists(int pid) => Directory.Exists($"/proc/{pid}");

    /// <summary>Sends <paramref name="signal"/> (a name such as STOP or KILL) with kill(1); fails naming the command when kill does.</summary>
    public static async Task SignalAsync(int pid, string signal) =>
        await Cli.Wrap("kill").WithArguments(["-" + signal, pid.ToString(CultureInfo.InvariantCulture)]).ExecuteAsync();
}
