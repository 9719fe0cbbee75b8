namespace Sealpod.Linux.Mounts;

/// <summary>One line of /proc/self/mountinfo, with the paths unescaped.</summary>
/// <param name="Id">The mount's id (unique while it is mounted).</param>
/// <param name="ParentId">The id of the mount it is mounted on.</param>
/// <param name="Root">The directory of its filesystem that is mounted (not "/" for a bind of a subdirectory).</param>
/// <param name="MountPoint">Where it is mounted, in this process's mount namespace.</param>
/// <param name="FileSystemType">The filesystem type ("tmpfs", "ext4" ...).</param>
/// <param name="Source">The filesystem's source ("none", "/dev/sda1" ...).</param>
/// <param name="SuperOptions">The filesystem's own options (a cgroup v1 hierarchy lists its controllers here).</param>
public sealed record MountEntry(int Id, int ParentId, string Root, string MountPoint, string FileSystemType, string Source, string SuperOptions = "")
{
    /// <summary>True when <see cref="MountPoint"/> is <paramref name="directory"/> itself or lies under it.</summary>
    public bool IsAtOrUnder(string directory)
    {
        var trimmed = directory.Length > 1 ? directory.TrimEnd('/') : directory;
        return MountPoint == trimmed || MountPoint.StartsWith(trimmed == "/" ? "/" : trimmed + "/", StringComparison.Ordinal);
    }
}
