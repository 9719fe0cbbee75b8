using System.Globalization;
using System.Security.Cryptography;
using Sealpod.Linux.Mounts;

namespace Sealpod.CriHarness;

/// <summary>
/// What a private containerd of the tests may leave on the host, looked up the same way for the plain one
/// (tests/integration PrivateContainerd) and the CRI one (<see cref="CriContainerd"/>): processes by their command
/// line, mounts by their path, shim sockets by containerd's own naming; and its log, copied and tailed.
/// </summary>
public static class HostScan
{
    /// <summary>
    /// Processes whose command line contains one of <paramref name="markers"/> (a scratch directory), other than this
    /// one, <paramref name="excluded"/> and the harness's own <c>ctr</c> calls.
    /// </summary>
    public static IReadOnlyList<(int Pid, string CommandLine)> ProcessesNaming(IReadOnlyList<string> markers, int? excluded = null)
    {
        ArgumentNullException.ThrowIfNull(markers);
        var found = new List<(int, string)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid == Environment.ProcessId || pid == excluded)
            {
                continue;
            }

            string commandLine;
            try
            {
                commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
            }
            catch (IOException)
            {
                continue; // ended meanwhile
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            if (markers.Any(marker => commandLine.Contains(marker, StringComparison.Ordinal)) && !commandLine.StartsWith("ctr ", StringComparison.Ordinal))
            {
                found.Add((pid, commandLine.Trim()));
            }
        }

        return found;
    }

    /// <summary>Mount points starting with one of <paramref name="prefixes"/>, deepest first (the order to unmount them in).</summary>
    public static IReadOnlyList<string> MountsUnder(IReadOnlyList<string> prefixes) =>
        MountTable.Read().Select(m => m.MountPoint)
            .Where(m => prefixes.Any(prefix => m.StartsWith(prefix, StringComparison.Ordinal)))
            .OrderByDescending(m => m.Length).ToList();

    /// <summary>The shim socket containerd at <paramref name="containerdSocket"/> uses for a sandbox or group, computed like containerd does.</summary>
    public static string ShimSocket(string containerdSocket, string containerdNamespace, string id) =>
        "/run/containerd/s/" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{containerdSocket}/{containerdNamespace}/{id}")));

    /// <summary>The last <paramref name="lines"/> lines of a log file, empty when there is none.</summary>
    public static string LogTail(string path, int lines) =>
        File.Exists(path) ? string.Join('\n', File.ReadLines(path).TakeLast(lines)) : string.Empty;

    /// <summary>Copies <paramref name="reader"/>'s lines to <paramref name="log"/> until it ends, under <paramref name="gate"/> (two streams share the log).</summary>
    public static async Task PumpAsync(StreamReader reader, Func<StreamWriter?> log, object gate)
    {
        ArgumentNullException.ThrowIfNull(reader);
        string? line;
        while ((line = await reader.ReadLineAsync().ConfigureAwait(false)) is not null)
        {
            lock (gate)
            {
                log()?.WriteLine(line);
            }
        }
    }
}
