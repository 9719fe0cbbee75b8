using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;
using Sealpod.InitData.Hashing;

namespace Sealpod.Runtime.Rootfs;

/// <summary>
/// A digest of a directory tree's content, the key of the node-wide image cache: every entry's relative path,
/// type, mode, owner, size, modification time, device number, extended attributes, link target and, for a
/// regular file, the SHA-256 of its bytes, in ordinal order, the root's own owner, mode and attributes first. Metadata alone is
/// not enough: paths, modes and times are easy to copy onto other contents, and the cache is shared by every
/// sandbox on the node, so one tenant's tree must never be served as another's image.
/// </summary>
public static class TreeDigest
{
    // Changing what goes into the digest changes the prefix, so no image keyed the old way is ever matched.
    private static ReadOnlySpan<byte> Version => "sealpod-tree-content-v2\0"u8;

    public static string Compute(string root, CancellationToken cancellationToken = default)
    {
        var hash = new Sha256();
        var scratch = new byte[8];
        var linkBuffer = new byte[4096];
        var contentBuffer = new byte[1 << 16];
        hash.Append(Version);
        // The root's owner, mode and attributes are the image's, but its time and size follow the container's own
        // writable layer (a fresh directory per container): leaving them out keeps one image per content.
        AppendEntry(hash, scratch, root, string.Empty, FileStatus.Lstat(root) with { Size = 0, ModifiedNanoseconds = 0 }, linkBuffer, contentBuffer, cancellationToken);
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
                AppendEntry(hash, scratch, full, relative, status, linkBuffer, contentBuffer, cancellationToken);
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

    private static void AppendEntry(Sha256 hash, byte[] scratch, string full, string relative, FileStatus status, byte[] linkBuffer, byte[] contentBuffer, CancellationToken cancellationToken)
    {
        hash.Append(Encoding.UTF8.GetBytes(relative));
        hash.Append([0]);
        Append(hash, scratch, status.Mode);
        Append(hash, scratch, status.Uid);
        Append(hash, scratch, status.Gid);
        Append(hash, scratch, status.Size);
        Append(hash, scratch, status.ModifiedNanoseconds);
        Append(hash, scratch, status.DeviceNumber);

        // Names and values, length-prefixed so no two lists hash alike (security.capability, trusted.overlay.*, ...).
        var attributes = LibC.ListExtendedAttributes(full);
        Append(hash, scratch, attributes.Count);
        foreach (var (name, value) in attributes)
        {
            var nameBytes = Encoding.UTF8.GetBytes(name);
            Append(hash, scratch, nameBytes.Length);
            hash.Append(nameBytes);
            Append(hash, scratch, value.Length);
            hash.Append(value);
        }

        if (status.IsSymbolicLink)
        {
            // The target's bytes as stored (the same as the UTF-8 of FileInfo.LinkTarget, one syscall instead of three).
            int length = LibC.ReadLink(full, linkBuffer);
            Append(hash, scratch, length);
            hash.Append(linkBuffer.AsSpan(0, length));
        }
        else if (status.IsRegularFile)
        {
            hash.Append(ContentHash(full, contentBuffer, cancellationToken));
        }

        hash.Append([0]);
    }

    // A separate hash per file: the bytes cannot run into the next entry's fields. Opened without following a link
    // that may have replaced the file since it was listed.
    private static byte[] ContentHash(string path, byte[] buffer, CancellationToken cancellationToken)
    {
        int fd = LibC.Open(path, LibC.O_RDONLY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC | LibC.O_NOCTTY, 0);
        if (fd < 0)
        {
            throw SystemCallException.FromLastError("open", path);
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        var content = new Sha256();
        long offset = 0;
        int read;
        while ((read = RandomAccess.Read(handle, buffer, offset)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            content.Append(buffer.AsSpan(0, read));
            offset += read;
        }

        return content.GetHashAndReset();
    }

    private static void Append(Sha256 hash, Span<byte> scratch, long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(scratch, value);
        hash.Append(scratch[..8]);
    }
}
