using System.ComponentModel;
using System.Diagnostics;

namespace Sealpod.Vmm.Lifecycle;

/// <summary>
/// A process recorded in a pid file by an owner that is gone. It is killed only while its command line still contains
/// the marker its owner started it with (a pid can be reused by an unrelated process), and waited for until it has
/// exited; it is no longer our child, so it cannot be reaped here, only watched.
/// </summary>
public static class OrphanProcess
{
    private static readonly TimeSpan DefaultExitWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// SIGKILLs the process whose pid <paramref name="pidFile"/> holds if its command line contains
    /// <paramref name="commandLineMarker"/>, then waits (up to 5 s) for it to go.
    /// </summary>
    /// <returns>Its pid when it was killed; null when there was nothing to kill (no file, gone, or not that process).</returns>
    /// <param name="pidFile">The pid file.</param>
    /// <param name="commandLineMarker">Text the process's command line contains (for a VM: its runtime directory).</param>
    /// <param name="warnings">Where a failure to kill is described.</param>
    /// <param name="cancellationToken">Ends the wait for the exit early.</param>
    public static async Task<int?> KillAsync(string pidFile, string commandLineMarker, ICollection<string> warnings, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(pidFile);
        ArgumentException.ThrowIfNullOrEmpty(commandLineMarker);
        ArgumentNullException.ThrowIfNull(warnings);
        if (ReadText(pidFile) is not { } text
            || !int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            || pid <= 1)
        {
            return null;
        }

        var commandLine = ReadText($"/proc/{pid}/cmdline")?.Replace('\0', ' ');
        if (commandLine is null || !commandLine.Contains(commandLineMarker, StringComparison.Ordinal))
        {
            return null; // gone already (a zombie has no command line), or the pid now belongs to someone else
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return null; // exited between the check and the kill
        }
        catch (Win32Exception e)
        {
            warnings.Add($"cannot kill pid {pid} (recorded in {pidFile}): {e.Message}");
            return null;
        }

        var deadline = DateTime.UtcNow + DefaultExitWait;
        while (IsAlive(pid) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }

        if (IsAlive(pid))
        {
            warnings.Add($"pid {pid} (recorded in {pidFile}) was sent SIGKILL but has not exited after {DefaultExitWait.TotalSeconds:0} s");
        }

        return pid;
    }

    /// <summary>The command-line marker for processes a driver started for <paramref name="runtimeDirectory"/>: the directory with a trailing '/', so that sandbox <c>a</c> never matches sandbox <c>ab</c>.</summary>
    public static string DirectoryMarker(string runtimeDirectory) => Path.TrimEndingDirectorySeparator(runtimeDirectory) + "/";

    private static bool IsAlive(int pid)
    {
        // A zombie is dead: it only waits to be reaped by its new parent.
        var stat = ReadText($"/proc/{pid}/stat");
        return stat is not null && !stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
    }

    private static string? ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
