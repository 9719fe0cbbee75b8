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
    public static HostTree Read(string path, int maxEntries) => Read(path, maxEntries, Translation.GuestSpecPolicy.MaxSharedBytes);

    /// <summary>
    /// Reads <paramref name="path"/>: at most <paramref name="maxEntries"/> entries, and file contents only while
    /// they total at most <paramref name="maxBytes"/> (past that, sizes are still counted so the caller can refuse).
    /// </summary>
    /// <remarks>
    /// The source itself is followed if it is a link, as mount(2) follows it; below it everything is reached from the
    /// descriptor of its parent directory with O_NOFOLLOW, and a file's bytes are read through the descriptor that was
    /// checked to be a regular file (opened non-blocking, so a FIFO swapped in cannot stall the read). Whoever can
    /// write into the source therefore cannot make the runtime read a host file outside it.
    /// </remarks>
    public static HostTree Read(string path, int maxEntries, long maxBytes)
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

        if (!root.IsRegularFile && !root.IsDirectory)
        {
            return new HostTree(path, HostTreeKind.Other, []);
        }

        var budget = new ByteBudget(maxBytes);
        if (root.IsRegularFile)
        {
            try
            {
                int fd = Open(() => LibC.Open(path, LibC.O_RDONLY | LibC.O_NONBLOCK | LibC.O_CLOEXEC, 0), path);
                return new HostTree(path, HostTreeKind.File, [ReadFile(fd, string.Empty, path, budget)]);
            }
            catch (IOException e)
            {
                return new HostTree(path, HostTreeKind.Missing, []) { Error = e.Message };
            }
        }

        var entries = new List<HostEntry>();
        var skipped = new List<string>();
        try
        {
            int directory = Open(() => LibC.Open(path, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC, 0), path);
            bool complete = Walk(directory, path, string.Empty, entries, skipped, maxEntries, budget);
            return new HostTree(path, HostTreeKind.Directory, entries) { Skipped = skipped, Truncated = !complete };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new HostTree(path, HostTreeKind.Directory, entries) { Skipped = skipped, Error = e.Message };
        }
    }

    // Depth first, names in ordinal order so a copy is reproducible; false once the limit is passed. Takes
    // ownership of the directory descriptor.
    private static bool Walk(int directory, string hostPath, string relative, List<HostEntry> entries, List<string> skipped, int maxEntries, ByteBudget budget)
    {
        try
        {
            entries.Add(ToEntry(relative, FileStatus.OfDescriptor(directory), null));
            if (entries.Count > maxEntries)
            {
                return false;
            }

            // The names come from the descriptor's own directory (procfs resolves its link to that very inode).
            var names = System.IO.Directory.EnumerateFileSystemEntries($"/proc/self/fd/{directory}")
                .Select(System.IO.Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
            foreach (var name in names)
            {
                string childHost = System.IO.Path.Join(hostPath, name);
                string childRelative = relative.Length == 0 ? name : relative + "/" + name;
                FileStatus status;
                try
                {
                    status = FileStatus.LstatAt(directory, name);
                }
                catch (IOException)
                {
                    continue; // Removed since the listing: nothing to copy.
                }

                if (status.IsSymbolicLink)
                {
                    string? target = ReadLinkAt(directory, name);
                    if (!StaysInside(relative, target))
                    {
                        skipped.Add($"symbolic link {childRelative} -> {target} (it leads out of the directory)");
                        continue;
                    }

                    entries.Add(ToEntry(childRelative, status, target));
                }
                else if (status.IsDirectory)
                {
                    int child = Open(() => LibC.OpenAt(directory, name, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0), childHost);
                    if (!Walk(child, childHost, childRelative, entries, skipped, maxEntries, budget))
                    {
                        return false;
                    }

                    continue;
                }
                else if (status.IsRegularFile)
                {
                    int file = Open(() => LibC.OpenAt(directory, name, LibC.O_RDONLY | LibC.O_NOFOLLOW | LibC.O_NONBLOCK | LibC.O_CLOEXEC, 0), childHost);
                    entries.Add(ReadFile(file, childRelative, childHost, budget));
                }
                else
                {
                    skipped.Add($"{childRelative} (a socket, FIFO or device cannot be copied)");
                    continue;
                }

                if (entries.Count > maxEntries)
                {
                    return false;
                }
            }

            return true;
        }
        finally
        {
            _ = LibC.Close(directory);
        }
    }

    // Takes ownership of the descriptor. The bytes are those of the file the descriptor holds, checked to be a
    // regular file; a file that changes size while it is read is an error rather than a torn copy.
    private static unsafe HostEntry ReadFile(int fd, string relative, string hostPath, ByteBudget budget)
    {
        try
        {
            var status = FileStatus.OfDescriptor(fd);
            if (!status.IsRegularFile)
            {
                throw new IOException($"{hostPath} changed while it was read: it is no longer a regular file");
            }

            var entry = ToEntry(relative, status, null);
            if (!budget.TryTake(status.Size))
            {
                return entry;
            }

            var content = new byte[status.Size + 1];
            long total = 0;
            fixed (byte* buffer = content)
            {
                while (total < content.Length)
                {
                    nint read = LibC.Read(fd, buffer + total, (nuint)(content.Length - total));
                    if (read < 0)
                    {
                        int errno = Marshal.GetLastPInvokeError();
                        if (errno == LibC.EINTR)
                        {
                            continue;
                        }

                        throw new IOException($"read {hostPath}: {Marshal.GetPInvokeErrorMessage(errno)}");
                    }

                    if (read == 0)
                    {
                        break;
                    }

                    total += read;
                }
            }

            if (total != status.Size)
            {
                throw new IOException($"{hostPath} changed while it was read: {status.Size} bytes when opened, {(total > status.Size ? "more" : total.ToString(System.Globalization.CultureInfo.InvariantCulture))} read");
            }

            return entry with { Content = content.AsMemory(0, (int)total) };
        }
        finally
        {
            _ = LibC.Close(fd);
        }
    }

    private static int Open(Func<int> open, string hostPath)
    {
        int fd = open();
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"open {hostPath}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        return fd;
    }

    private static unsafe string? ReadLinkAt(int directory, string name)
    {
        byte* buffer = stackalloc byte[4096];
        nint length = LibC.ReadLinkAt(directory, name, buffer, 4096);
        return length < 0 ? null : System.Text.Encoding.UTF8.GetString(buffer, (int)length);
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

    /// <summary>The bytes a walk may still read; once spent, files are counted but not read.</summary>
    private sealed class ByteBudget(long limit)
    {
        private long _used;

        public bool TryTake(long bytes)
        {
            _used += bytes;
            return _used <= limit;
        }
    }
}
