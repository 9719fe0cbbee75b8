namespace Sealpod.Linux.Native;

/// <summary>Type and numbers of a device node, read with statx.</summary>
public readonly record struct DeviceNode(char Type, long Major, long Minor, uint Mode)
{
    /// <summary>The node at <paramref name="path"/>, or null if it is missing or not a device.</summary>
    public static unsafe DeviceNode? TryRead(string path, bool followSymlinks = true)
    {
        Statx status;
        var flags = followSymlinks ? 0 : LibC.AT_SYMLINK_NOFOLLOW;
        if (LibC.Statx(LibC.AT_FDCWD, path, flags, LibC.STATX_BASIC_STATS, &status) != 0)
        {
            return null;
        }

        uint mode = status.Mode;
        var type = (mode & LibC.S_IFMT) switch
        {
            LibC.S_IFCHR => 'c',
            LibC.S_IFBLK => 'b',
            _ => '\0',
        };
        if (type == '\0')
        {
            return null;
        }

        return new DeviceNode(type, status.RdevMajor, status.RdevMinor, mode & 0xFFF);
    }

    /// <summary>The file type bits (S_IFMT) of <paramref name="path"/> itself (a final symlink is not followed), or null when it does not exist.</summary>
    public static unsafe uint? TryReadFileType(string path)
    {
        Statx status;
        if (LibC.Statx(LibC.AT_FDCWD, path, LibC.AT_SYMLINK_NOFOLLOW, LibC.STATX_BASIC_STATS, &status) != 0)
        {
            _ = Marshal.GetLastPInvokeError();
            return null;
        }

        return status.Mode & LibC.S_IFMT;
    }
}
