using Sealpod.Runtime.Rootfs;

namespace Sealpod.Runtime.Sharing;

/// <summary>
/// A bind mount's host source read for copying into the guest: a file, or a directory with every entry below it
/// (parents before their children). Symbolic links below the root are kept as links when they stay inside the
/// tree, as Kubernetes' configMap and secret volumes are built (<c>key -&gt; ..data/key</c>); a link that leads out
/// would name a host path the guest does not have, and sockets, FIFOs and devices cannot be copied: those are
/// left out and listed in <see cref="Skipped"/>.
/// </summary>
public sealed record HostTree(string Path, HostTreeKind Kind, IReadOnlyList<HostEntry> Entries)
{
    /// <summary>Why the tree could not be read (<see cref="HostTreeKind.Missing"/>, or a directory below failed).</summary>
    public string? Error { get; init; }

    /// <summary>Whether the walk stopped at the entry limit it was given.</summary>
    public bool Truncated { get; init; }

    /// <summary>What was left out, one note each.</summary>
    public IReadOnlyList<string> Skipped { get; init; } = [];

    /// <summary>The bytes of every regular file.</summary>
    public long Bytes => Entries.Where(e => e.IsRegularFile).Sum(e => e.Size);

    /// <summary>Reads <paramref name="path"/>, walking at most <paramref name="maxEntries"/> entries of a directory.</summary>
    public static HostTree Read(string path, int maxEntries)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        FileStatus root;
        try
        {
            root = FileStatus.Stat(path);
        }
        catch (IOException e)
        {
            return new HostTree(path, HostTreeKind.Missing, []) { Error = e.Message };
        }

        var rootEntry = ToEntry(string.Empty, root, null);
        if (rootEntry.IsRegularFile)
        {
            return new HostTree(path, HostTreeKind.File, [rootEntry]);
        }

        if (!rootEntry.IsDirectory)
        {
            return new HostTree(path, HostTreeKind.Other, []);
        }

        var entries = new List<HostEntry> { rootEntry };
        var skipped = new List<string>();
        try
        {
            bool complete = Walk(path, string.Empty, entries, skipped, maxEntries);
            return new HostTree(path, HostTreeKind.Directory, entries) { Skipped = skipped, Truncated = !complete };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new HostTree(path, HostTreeKind.Directory, entries) { Skipped = skipped, Error = e.Message };
        }
    }

    // Depth first, names in ordinal order so a copy is reproducible; false once the limit is passed.
    private static bool Walk(string directory, string relative, List<HostEntry> entries, List<string> skipped, int maxEntries)
    {
        var names = System.IO.Directory.EnumerateFileSystemEntries(directory).Select(System.IO.Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);
        foreach (var name in names)
        {
            string hostPath = System.IO.Path.Join(directory, name);
            string childRelative = relative.Length == 0 ? name : relative + "/" + name;
            var status = FileStatus.Lstat(hostPath);
            var entry = ToEntry(childRelative, status, status.IsSymbolicLink ? new FileInfo(hostPath).LinkTarget : null);
            if (entry.IsSymbolicLink && !StaysInside(relative, entry.LinkTarget))
            {
                skipped.Add($"symbolic link {childRelative} -> {entry.LinkTarget} (it leads out of the directory)");
                continue;
            }

            if (!entry.IsDirectory && !entry.IsRegularFile && !entry.IsSymbolicLink)
            {
                skipped.Add($"{childRelative} (a socket, FIFO or device cannot be copied)");
                continue;
            }

            entries.Add(entry);
            if (entries.Count > maxEntries)
            {
                return false;
            }

            if (entry.IsDirectory && !Walk(hostPath, childRelative, entries, skipped, maxEntries))
            {
                return false;
            }
        }

        return true;
    }

    private static HostEntry ToEntry(string relative, FileStatus status, string? linkTarget) =>
        new(relative, status.Mode, status.Uid, status.Gid, status.Size, linkTarget);

    // Resolved against a stand-in root, so ".." past the top shows instead of being clamped at "/".
    private static bool StaysInside(string linkDirectory, string? target)
    {
        const string Root = "/.tree";
        if (string.IsNullOrEmpty(target) || System.IO.Path.IsPathRooted(target))
        {
            return false;
        }

        string resolved = System.IO.Path.GetFullPath(System.IO.Path.Join(Root, linkDirectory, target));
        return resolved == Root || resolved.StartsWith(Root + "/", StringComparison.Ordinal);
    }
}
