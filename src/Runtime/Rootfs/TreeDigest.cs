using System.Buffers.Binary;
using System.Text;
using Sealpod.InitData.Hashing;
using Sealpod.Linux.Native;

namespace Sealpod.Runtime.Rootfs;

/// <summary>
/// A digest of a directory tree's shape: every entry's relative path, type, mode, owner, size,
/// modification time, device number and link target, in ordinal order. Snapshot layers are immutable
/// once committed, so this identifies their content without reading every byte (which would cost as
/// much as building the image the digest is meant to save).
/// </summary>
public static class TreeDigest
{
    public static string Compute(string root, CancellationToken cancellationToken = default)
    {
        var hash = new Sha256();
        Span<byte> scratch = stackalloc byte[8];
        var linkBuffer = new byte[4096];
        var pending = new Stack<string>();
        pending.Push(string.Empty);
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string relativeDirectory = pending.Pop();
            string directory = relativeDirectory.Length == 0 ? root : Path.Combine(root, relativeDirectory);
            var names = Directory.EnumerateFileSystemEntries(directory)
                .Select(Path.GetFileName)
                .OfType<string>()
                .Order(StringComparer.Ordinal)
                .ToList();

            // Children are pushed in reverse so they are visited in order.
            var subdirectories = new List<string>();
            foreach (var name in names)
            {
                string relative = relativeDirectory.Length == 0 ? name : relativeDirectory + "/" + name;
                string full = Path.Combine(root, relative);
                var status = FileStatus.Lstat(full);
                hash.Append(Encoding.UTF8.GetBytes(relative));
                hash.Append([0]);
                Append(hash, scratch, status.Mode);
                Append(hash, scratch, status.Uid);
                Append(hash, scratch, status.Gid);
                Append(hash, scratch, status.Size);
                Append(hash, scratch, status.ModifiedNanoseconds);
                Append(hash, scratch, status.DeviceNumber);
                if (status.IsSymbolicLink)
                {
                    // The target's bytes as stored (the same as the UTF-8 of FileInfo.LinkTarget, one syscall instead of three).
                    hash.Append(linkBuffer[..LibC.ReadLink(full, linkBuffer)]);
                }

                hash.Append([0]);
                if (status.IsDirectory)
                {
                    subdirectories.Add(relative);
                }
            }

            for (int i = subdirectories.Count - 1; i >= 0; i--)
            {
                pending.Push(subdirectories[i]);
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void Append(Sha256 hash, Span<byte> scratch, long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(scratch, value);
        hash.Append(scratch);
    }
}
