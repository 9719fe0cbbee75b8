using System.Formats.Tar;
using System.IO.Compression;

namespace Sealpod.Agent.Images;

/// <summary>
/// Unpacks one layer (a tar, plain, gzip or zstd) into an empty directory in overlayfs's format, as image-rs does:
/// a whiteout <c>.wh.NAME</c> becomes a 0/0 character device NAME, an opaque marker <c>.wh..wh..opq</c> the
/// <c>trusted.overlay.opaque=y</c> attribute of its directory, so the layers stack as overlay lower directories.
/// Entry names never leave the directory: absolute names and <c>..</c> are refused, and so is an entry whose
/// parent path goes through a symbolic link (a layer could otherwise write through a link it planted).
/// </summary>
internal static class LayerUnpacker
{
    private const string WhiteoutPrefix = ".wh.";
    private const string OpaqueMarker = ".wh..wh..opq";

    public static async Task UnpackAsync(Stream compressed, LayerCompression compression, string directory, string layer, CancellationToken cancellationToken)
    {
        Stream tar = compression switch
        {
            LayerCompression.Gzip => new GZipStream(compressed, CompressionMode.Decompress, leaveOpen: true),
            LayerCompression.Zstd => new ZstdSharp.DecompressionStream(compressed, leaveOpen: true),
            _ => compressed,
        };
        await using (tar.ConfigureAwait(false))
        {
            var reader = new TarReader(tar, leaveOpen: true);
            await using (reader.ConfigureAwait(false))
            {
                TarEntry? entry;
                while ((entry = await NextEntryAsync(reader, layer, cancellationToken).ConfigureAwait(false)) is not null)
                {
                    await UnpackEntryAsync(entry, directory, layer, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>
    /// The next tar entry. TarReader and the zstd decoder throw more than InvalidDataException on a bad stream
    /// (found by fuzzing: OverflowException for a PAX mtime out of range, InvalidOperationException for an extended
    /// header's size, ZstdException for a bad frame); each is the layer's bytes being wrong, so InvalidDataException.
    /// </summary>
    private static async Task<TarEntry?> NextEntryAsync(TarReader reader, string layer, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsMalformedStream(e))
        {
            throw new InvalidDataException($"layer {layer}: not a valid tar stream: {e.Message}", e);
        }
    }

    private static bool IsMalformedStream(Exception e) =>
        e is OverflowException or InvalidOperationException or FormatException or ArgumentException or ZstdSharp.ZstdException;

    private static async Task UnpackEntryAsync(TarEntry entry, string root, string layer, CancellationToken cancellationToken)
    {
        var name = Normalise(entry.Name, layer);
        if (name.Length == 0)
        {
            if (entry.EntryType == TarEntryType.Directory)
            {
                ApplyMetadata(root, entry);
            }

            return;
        }

        var parent = Path.GetDirectoryName(name) ?? "";
        var leaf = Path.GetFileName(name);
        var parentPath = EnsureParent(root, parent, layer, name);
        var path = Path.Combine(parentPath, leaf);
        if (leaf == OpaqueMarker)
        {
            SetOpaque(parentPath, layer);
            return;
        }

        if (leaf.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
        {
            var hidden = Path.Combine(parentPath, leaf[WhiteoutPrefix.Length..]);
            RemoveExisting(hidden);
            Check(LibC.MkNod(hidden, LibC.S_IFCHR, 0), "mknod (whiteout)", hidden, layer);
            return;
        }

        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                if (new DirectoryInfo(path) is { Exists: true, LinkTarget: null })
                {
                    ApplyMetadata(path, entry);
                    return;
                }

                RemoveExisting(path);
                Directory.CreateDirectory(path);
                ApplyMetadata(path, entry);
                return;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                RemoveExisting(path);
                var output = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite });
                await using (output.ConfigureAwait(false))
                {
                    if (entry.DataStream is { } data)
                    {
                        try
                        {
                            await data.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
                        }
                        catch (Exception e) when (IsMalformedStream(e))
                        {
                            throw new InvalidDataException($"layer {layer}: entry '{entry.Name}': not a valid tar stream: {e.Message}", e);
                        }
                    }
                }

                ApplyMetadata(path, entry);
                return;
            case TarEntryType.SymbolicLink:
                if (entry.LinkName.Length == 0 || entry.LinkName.Contains('\0', StringComparison.Ordinal))
                {
                    throw new InvalidDataException($"layer {layer}: symbolic link '{entry.Name}' has an empty target or one with a NUL byte");
                }

                RemoveExisting(path);
                File.CreateSymbolicLink(path, entry.LinkName);
                Check(LibC.FchownAt(LibC.AT_FDCWD, path, (uint)entry.Uid, (uint)entry.Gid, LibC.AT_SYMLINK_NOFOLLOW), "lchown", path, layer);
                return;
            case TarEntryType.HardLink:
                var target = Normalise(entry.LinkName, layer);
                var targetPath = Path.Combine(EnsureParent(root, Path.GetDirectoryName(target) ?? "", layer, target), Path.GetFileName(target));
                RemoveExisting(path);
                Check(LayerNative.Link(targetPath, path), "link", $"{path} to {entry.LinkName}", layer);
                return;
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo:
                RemoveExisting(path);
                var type = entry.EntryType switch
                {
                    TarEntryType.CharacterDevice => LibC.S_IFCHR,
                    TarEntryType.BlockDevice => LibC.S_IFBLK,
                    _ => 0x1000u,
                };
                var device = entry is PosixTarEntry posix && entry.EntryType != TarEntryType.Fifo ? LayerNative.MakeDevice(posix.DeviceMajor, posix.DeviceMinor) : 0;
                Check(LibC.MkNod(path, type | ((uint)entry.Mode & 0xFFF), device), "mknod", path, layer);
                ApplyMetadata(path, entry);
                return;
            case TarEntryType.GlobalExtendedAttributes or TarEntryType.ExtendedAttributes or TarEntryType.LongLink or TarEntryType.LongPath:
                return;
            default:
                throw new InvalidDataException($"layer {layer}: entry {entry.Name} has tar type {entry.EntryType}, which is not unpacked");
        }
    }

    /// <summary>The entry's name relative to the layer root, refused if it is absolute or climbs out.</summary>
    internal static string Normalise(string name, string layer)
    {
        var parts = new List<string>();
        foreach (var part in name.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == ".." || part.Contains('\0', StringComparison.Ordinal))
            {
                throw new InvalidDataException($"layer {layer}: entry '{name}' leaves the layer ('..')");
            }

            parts.Add(part);
        }

        return string.Join('/', parts);
    }

    /// <summary>Creates the parent directories, refusing to pass through a symbolic link or a non-directory.</summary>
    private static string EnsureParent(string root, string parent, string layer, string entry)
    {
        var current = root;
        foreach (var part in parent.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            var type = DeviceNode.TryReadFileType(current);
            if (type is null)
            {
                Directory.CreateDirectory(current);
            }
            else if (type != LibC.S_IFDIR)
            {
                throw new InvalidDataException($"layer {layer}: entry '{entry}' goes through '{current[(root.Length + 1)..]}', which is not a directory (a symbolic link is never followed)");
            }
        }

        return current;
    }

    private static void RemoveExisting(string path)
    {
        var type = DeviceNode.TryReadFileType(path);
        if (type == LibC.S_IFDIR)
        {
            Directory.Delete(path, recursive: true);
        }
        else if (type is not null)
        {
            File.Delete(path);
        }
    }

    private static unsafe void SetOpaque(string directory, string layer)
    {
        ReadOnlySpan<byte> value = "y"u8;
        fixed (byte* pointer = value)
        {
            Check(LibC.LSetXattr(directory, "trusted.overlay.opaque", pointer, (nuint)value.Length, 0), "setxattr trusted.overlay.opaque", directory, layer);
        }
    }

    private static void ApplyMetadata(string path, TarEntry entry)
    {
        Check(LibC.FchownAt(LibC.AT_FDCWD, path, (uint)entry.Uid, (uint)entry.Gid, LibC.AT_SYMLINK_NOFOLLOW), "lchown", path, entry.Name);
        // After chown: chown clears the set-user-ID and set-group-ID bits.
        File.SetUnixFileMode(path, (UnixFileMode)((int)entry.Mode & 0xFFF));
        if (entry.EntryType != TarEntryType.Directory)
        {
            File.SetLastWriteTimeUtc(path, entry.ModificationTime.UtcDateTime);
        }
    }

    private static void Check(int result, string call, string path, string layer)
    {
        if (result != 0)
        {
            throw SystemCallException.FromLastError(call, $"{path} (layer {layer})");
        }
    }
}
