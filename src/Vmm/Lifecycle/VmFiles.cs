namespace Sealpod.Vmm.Lifecycle;

/// <summary>What every driver does with the files of its runtime directory: create it private, check socket paths, remove.</summary>
internal static class VmFiles
{
    // sockaddr_un.sun_path is 108 bytes including the terminating NUL.
    private const int MaxUnixSocketPathBytes = 107;

    /// <summary>
    /// Creates <paramref name="directory"/> owner-only (the sockets in it accept control connections to the VM) and
    /// says whether it was made here, so that only a directory the driver made is removed with the VM.
    /// </summary>
    public static bool CreatePrivateDirectory(string directory, string hypervisor)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException($"the {hypervisor} driver runs on Linux only");
        }

        var created = !Directory.Exists(directory);
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return created;
    }

    /// <summary>Throws when one of <paramref name="sockets"/> would not fit in a unix socket address.</summary>
    public static void ValidateSocketPaths(string directory, ReadOnlySpan<string> sockets)
    {
        foreach (var socket in sockets)
        {
            if (Encoding.UTF8.GetByteCount(socket) > MaxUnixSocketPathBytes)
            {
                throw new ArgumentException(
                    $"runtime directory '{directory}' is too long: socket path '{socket}' exceeds {MaxUnixSocketPathBytes} bytes",
                    nameof(directory));
            }
        }
    }

    /// <summary>Removes each file, best effort.</summary>
    public static void DeleteAll(IEnumerable<string> files)
    {
        foreach (var file in files)
        {
            TryDelete(file);
        }
    }

    /// <summary>Removes a file; cleanup runs on failure paths and must not hide the original error.</summary>
    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Removes the directory if it is empty: only what the driver made goes; anything else someone put there stays.</summary>
    public static void TryDeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }
}
