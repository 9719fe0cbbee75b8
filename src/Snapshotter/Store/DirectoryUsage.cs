namespace Sealpod.Snapshotter.Store;

/// <summary>du for one snapshot directory: file bytes and inodes, never following symbolic links.</summary>
public static class DirectoryUsage
{
    public static SnapshotUsage Of(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return new SnapshotUsage(0, 0);
        }

        long size = 0;
        long inodes = 1;
        var pending = new Stack<string>();
        pending.Push(directory);
        while (pending.Count > 0)
        {
            foreach (var entry in new DirectoryInfo(pending.Pop()).EnumerateFileSystemInfos("*", new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = true }))
            {
                inodes++;
                if (entry.LinkTarget is not null)
                {
                    continue;
                }

                if (entry is DirectoryInfo sub)
                {
                    pending.Push(sub.FullName);
                }
                else if (entry is FileInfo file)
                {
                    size += file.Length;
                }
            }
        }

        return new SnapshotUsage(size, inodes);
    }
}
