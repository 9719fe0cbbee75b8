namespace Sealpod.Vmm.Lifecycle;

/// <summary>
/// Why a hypervisor that died at start-up left no output: its log lives in the VM's directory, and on a full
/// filesystem neither its pid file, its sockets nor its own complaint can be written. Naming the full disk turns
/// "exited during start-up" with nothing after it into an error that says what to fix.
/// </summary>
internal static class DiskSpace
{
    // Less than this and the start-up writes (pid file, log, sockets' directory entries) fail.
    private const long Low = 64 * 1024;

    /// <summary>A sentence naming the full filesystem of <paramref name="directory"/>, or null when it has room (or cannot be asked).</summary>
    public static string? DescribeIfFull(string directory)
    {
        try
        {
            // On Linux DriveInfo asks statvfs(2) about the path it is given, whatever mount it is on.
            long free = new DriveInfo(directory).AvailableFreeSpace;
            return free < Low
                ? $"No space left on device: the filesystem of {directory} has {free / 1024} KiB free, so the hypervisor could not write its files or its output there"
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }
}
