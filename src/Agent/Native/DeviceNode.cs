using System.Runtime.InteropServices;

namespace Sealpod.Agent.Native;

/// <summary>Type and numbers of a device node, read with statx (without following a final symlink).</summary>
internal readonly record struct DeviceNode(char Type, long Major, long Minor, uint Mode)
{
    /// <summary>The node at <paramref name="path"/>, or null if it is missing or not a device.</summary>
    public static unsafe DeviceNode? TryRead(string path, bool followSymlinks = true)
    {
        var buffer = stackalloc byte[LibC.StatxSize];
        var flags = followSymlinks ? 0 : LibC.AT_SYMLINK_NOFOLLOW;
        if (LibC.Statx(LibC.AT_FDCWD, path, flags, LibC.STATX_BASIC_STATS, buffer) != 0)
        {
            return null;
        }

        var mode = (uint)*(ushort*)(buffer + LibC.StatxModeOffset);
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

        return new DeviceNode(type, *(uint*)(buffer + LibC.StatxRdevMajorOffset), *(uint*)(buffer + LibC.StatxRdevMinorOffset), mode & 0xFFF);
    }

    /// <summary>The file type bits (S_IFMT) of <paramref name="path"/>, or null when it does not exist.</summary>
    public static unsafe uint? TryReadFileType(string path)
    {
        var buffer = stackalloc byte[LibC.StatxSize];
        if (LibC.Statx(LibC.AT_FDCWD, path, LibC.AT_SYMLINK_NOFOLLOW, LibC.STATX_BASIC_STATS, buffer) != 0)
        {
            _ = Marshal.GetLastPInvokeError();
            return null;
        }

        return *(ushort*)(buffer + LibC.StatxModeOffset) & LibC.S_IFMT;
    }
}
