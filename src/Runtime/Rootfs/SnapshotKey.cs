using Sealpod.InitData.Hashing;

namespace Sealpod.Runtime.Rootfs;

/// <summary>
/// A cache key for a rootfs that is an overlay of containerd snapshots, computed without walking the tree:
/// committed snapshots (the lower directories) never change, so their identities (path, device, inode, inode
/// generation, birth time) name the content. A snapshot deleted and recreated at the same path can get the freed
/// inode back within one tick of the filesystem's coarse clock, so inode and birth time alone can repeat; the
/// generation number (FS_IOC_GETVERSION; new for every inode on ext4, xfs and btrfs) is what tells the two
/// apart. Filesystems that do not answer that ioctl (tmpfs, overlayfs, FUSE) get no key, nor do those without
/// birth times, and neither does an overlay whose writable layer is not empty (a container that has run): the
/// caller then falls back to <see cref="TreeDigest"/>.
/// </summary>
public static class SnapshotKey
{
    /// <summary>The key for a single overlay mount whose upper directory is empty, else null.</summary>
    public static string? TryCompute(IReadOnlyList<RootfsMount> mounts)
    {
        ArgumentNullException.ThrowIfNull(mounts);
        if (mounts.Count != 1 || mounts[0].Type != "overlay" || mounts[0].GetOption("lowerdir") is not { Length: > 0 } lowers)
        {
            return null;
        }

        if (mounts[0].GetOption("upperdir") is { } upper && (!Directory.Exists(upper) || Directory.EnumerateFileSystemEntries(upper).Any()))
        {
            return null;
        }

        var hash = new Sha256();
        hash.Append("sealpod-overlay-lowers-v2\0"u8);
        Span<byte> identity = stackalloc byte[40];
        foreach (var lower in lowers.Split(':'))
        {
            if (!TryIdentity(lower, identity))
            {
                return null;
            }

            hash.Append(Encoding.UTF8.GetBytes(lower));
            hash.Append([0]);
            hash.Append(identity);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static unsafe bool TryIdentity(string directory, Span<byte> identity)
    {
        // One open, then statx and the generation from that descriptor: two path lookups could describe two
        // different directories if the path were replaced in between. Following links, as the overlay mount does.
        int fd = LibC.Open(directory, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC, 0);
        if (fd < 0)
        {
            return false;
        }

        try
        {
            Statx buffer;
            if (LibC.Statx(fd, string.Empty, LibC.AT_EMPTY_PATH, LibC.STATX_INO | LibC.STATX_BTIME, &buffer) != 0 || (buffer.Mask & LibC.STATX_BTIME) == 0)
            {
                return false; // no birth time from this filesystem: do not guess
            }

            // The kernel writes an int; the rest of the 64-bit slot stays zero.
            ulong generation = 0;
            if (LibC.Ioctl(fd, LibC.FS_IOC_GETVERSION, (nint)(&generation)) != 0)
            {
                return false; // no generation (tmpfs, overlayfs, FUSE): a recreated directory could not be told apart
            }

            MemoryMarshal.Write(identity, buffer.Ino);
            MemoryMarshal.Write(identity[8..], ((ulong)buffer.DevMajor << 32) | buffer.DevMinor);
            MemoryMarshal.Write(identity[16..], buffer.BirthSeconds);
            MemoryMarshal.Write(identity[24..], (ulong)buffer.BirthNanoseconds);
            MemoryMarshal.Write(identity[32..], generation);
            return true;
        }
        finally
        {
            LibC.Close(fd);
        }
    }
}
