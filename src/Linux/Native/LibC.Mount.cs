namespace Sealpod.Linux.Native;

/// <summary>mount(2), umount2(2) and mount_setattr(2): container root filesystems, storages, bind mounts and their propagation.</summary>
public static unsafe partial class LibC
{
    public const ulong MS_RDONLY = 0x1;
    public const ulong MS_NOSUID = 0x2;
    public const ulong MS_NODEV = 0x4;
    public const ulong MS_NOEXEC = 0x8;
    public const ulong MS_REMOUNT = 0x20;
    public const ulong MS_BIND = 0x1000;
    public const ulong MS_MOVE = 0x2000;
    public const ulong MS_REC = 0x4000;
    public const ulong MS_PRIVATE = 0x40000;
    public const ulong MS_SLAVE = 0x80000;
    public const ulong MS_SHARED = 0x100000;

    public const int MNT_DETACH = 0x2;
    public const int UMOUNT_NOFOLLOW = 0x8;

    // mount_setattr(2), Linux 5.12: the one call that changes a whole mount tree's flags at once (a remount
    // changes only the mount it names). Same number on x86-64, arm64 and s390x (the unified table from 424 on).
    public const long SYS_mount_setattr = 442;
    public const uint AT_RECURSIVE = 0x8000;
    public const ulong MOUNT_ATTR_RDONLY = 0x1;

    /// <summary>struct mount_attr (MOUNT_ATTR_SIZE_VER0, 32 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MountAttr
    {
        public ulong AttrSet;
        public ulong AttrClr;
        public ulong Propagation;
        public ulong UsernsFd;
    }

    [LibraryImport(Library, EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall5(long number, long arg1, void* arg2, nuint arg3, void* arg4, nuint arg5);

    /// <summary>mount_setattr(2) of <paramref name="path"/> (relative to <paramref name="directoryFd"/>); 0, or -1 with errno set.</summary>
    public static int MountSetAttr(int directoryFd, string path, uint flags, ref MountAttr attributes)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* pathPointer = bytes)
        fixed (MountAttr* attributesPointer = &attributes)
        {
            return (int)Syscall5(SYS_mount_setattr, directoryFd, pathPointer, flags, attributesPointer, (nuint)sizeof(MountAttr));
        }
    }

    [LibraryImport(Library, EntryPoint = "mount", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Mount(string? source, string target, string? fileSystemType, ulong flags, string? data);

    [LibraryImport(Library, EntryPoint = "umount2", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Umount2(string target, int flags);
}
