namespace Sealpod.Agent.Files;

/// <summary>
/// CopyFile: writes files, directories and symlinks the host sends into the guest, confined to one
/// directory (/run). Paths are checked as text first (absolute, no '.' or '..'), then every open is
/// resolved by the kernel beneath the root (openat2 RESOLVE_BENEATH), so a symlink planted anywhere
/// on the way cannot lead outside, not even through a race. A file arrives in chunks into
/// "&lt;name&gt;.tmp" and replaces the target by rename once the last byte is in. Some directories below the root
/// are never written (the Init-Data files the guest components trust): neither by their path nor through a link,
/// since the real path of the directory actually opened is checked too.
/// </summary>
internal sealed class FileCopier
{
    private const ulong Resolve = LibC.RESOLVE_BENEATH | LibC.RESOLVE_NO_MAGICLINKS;
    private const uint PermissionBits = 0xFFF;
    private const uint DefaultDirectoryMode = 0x1ED; // 0755
    private const uint TemporaryFileMode = 0x180; // 0600

    private readonly string _root;
    private readonly string[] _forbidden;

    public FileCopier(string root, IEnumerable<string>? forbidden = null)
    {
        _root = Path.GetFullPath(root).TrimEnd('/');
        _forbidden = [.. (forbidden ?? []).Select(path => Path.GetFullPath(path).TrimEnd('/'))];
    }

    public void Copy(FileCopyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var components = RelativeComponents(request.Path);
        var name = components[^1];
        using var root = OpenRoot();
        using var parent = OpenDirectories(root, components[..^1], request.DirectoryMode == 0 ? DefaultDirectoryMode : request.DirectoryMode & PermissionBits);
        var fd = Fd(parent);
        CheckNotForbidden(RealPath(fd) + "/" + name, request.Path);
        switch (request.FileMode & LibC.S_IFMT)
        {
            case LibC.S_IFDIR:
                CopyDirectory(fd, name, request);
                break;
            case LibC.S_IFLNK:
                CopySymlink(fd, name, components, request);
                break;
            case 0 or LibC.S_IFREG:
                CopyChunk(fd, name, request);
                break;
            default:
                throw new InvalidArgumentException($"CopyFile {request.Path}: file type 0x{request.FileMode & LibC.S_IFMT:x} is not supported");
        }
    }

    private string[] RelativeComponents(string path)
    {
        if (string.IsNullOrEmpty(path) || !path.StartsWith('/'))
        {
            throw new InvalidArgumentException($"CopyFile path '{path}' must be absolute");
        }

        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Any(part => part is "." or ".."))
        {
            throw new InvalidArgumentException($"CopyFile path '{path}' must not contain '.' or '..'");
        }

        var rootParts = _root.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length <= rootParts.Length || !parts.AsSpan(0, rootParts.Length).SequenceEqual(rootParts))
        {
            throw new InvalidArgumentException($"CopyFile path '{path}' is outside {_root}");
        }

        CheckNotForbidden("/" + string.Join('/', parts), path);
        return parts[rootParts.Length..];
    }

    /// <summary>Refuses <paramref name="target"/> when it is a forbidden directory, inside one, or on the way to one.</summary>
    private void CheckNotForbidden(string target, string path)
    {
        foreach (var forbidden in _forbidden)
        {
            if (IsSameOrBelow(target, forbidden) || IsSameOrBelow(forbidden, target))
            {
                throw new InvalidArgumentException($"CopyFile path '{path}' reaches {forbidden}, which the host may not write");
            }
        }
    }

    private static bool IsSameOrBelow(string path, string directory) =>
        path == directory || path.StartsWith(directory + "/", StringComparison.Ordinal);

    /// <summary>Where the kernel says an open directory is, whatever links led there.</summary>
    private static string RealPath(int fd) =>
        new FileInfo($"/proc/self/fd/{fd}").LinkTarget ?? throw new InvalidOperationException($"/proc/self/fd/{fd} is not a link: is /proc mounted?");

    private SafeFileHandle OpenRoot()
    {
        var fd = LibC.Open(_root, LibC.O_PATH | LibC.O_DIRECTORY | LibC.O_CLOEXEC, 0);
        return fd >= 0 ? new SafeFileHandle(fd, ownsHandle: true) : throw SystemCallException.FromLastError("open", _root);
    }

    /// <summary>Opens (creating as needed) each directory below the root, every step resolved beneath it.</summary>
    private static SafeFileHandle OpenDirectories(SafeFileHandle root, string[] directories, uint mode)
    {
        var rootFd = Fd(root);
        var current = Duplicate(rootFd);
        for (var i = 0; i < directories.Length; i++)
        {
            var prefix = string.Join('/', directories, 0, i + 1);
            var fd = LibC.OpenAt2(rootFd, prefix, LibC.O_PATH | LibC.O_DIRECTORY | LibC.O_CLOEXEC, 0, Resolve);
            if (fd < 0 && Marshal.GetLastPInvokeError() == LibC.ENOENT)
            {
                if (LibC.MkdirAt(Fd(current), directories[i], mode) != 0 && Marshal.GetLastPInvokeError() != LibC.EEXIST)
                {
                    current.Dispose();
                    throw SystemCallException.FromLastError("mkdir", prefix);
                }

                fd = LibC.OpenAt2(rootFd, prefix, LibC.O_PATH | LibC.O_DIRECTORY | LibC.O_CLOEXEC, 0, Resolve);
            }

            if (fd < 0)
            {
                var error = Marshal.GetLastPInvokeError();
                current.Dispose();
                throw Refusal(error, prefix);
            }

            current.Dispose();
            current = new SafeFileHandle(fd, ownsHandle: true);
        }

        return current;
    }

    private static void CopyDirectory(int parent, string name, FileCopyRequest request)
    {
        if (LibC.MkdirAt(parent, name, request.FileMode & PermissionBits) != 0 && Marshal.GetLastPInvokeError() != LibC.EEXIST)
        {
            throw SystemCallException.FromLastError("mkdir", request.Path);
        }

        using var directory = OpenBeneath(parent, name, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC, 0, request.Path);
        SystemCallException.ThrowIfFailed(LibC.Fchmod(Fd(directory), request.FileMode & PermissionBits), "chmod", request.Path);
        Chown(directory, request);
    }

    private void CopySymlink(int parent, string name, string[] components, FileCopyRequest request)
    {
        var target = Encoding.UTF8.GetString(request.Data.Span);
        if (target.Length == 0 || target.Contains('\0', StringComparison.Ordinal))
        {
            throw new InvalidArgumentException($"CopyFile {request.Path}: a symlink needs its target as data");
        }

        // The link must not point outside the root, even though only the agent follows it later.
        var linkDirectory = _root + "/" + string.Join('/', components[..^1]);
        var resolved = Path.GetFullPath(target.StartsWith('/') ? target : Path.Combine(linkDirectory, target));
        if (resolved != _root && !resolved.StartsWith(_root + "/", StringComparison.Ordinal))
        {
            throw new InvalidArgumentException($"CopyFile {request.Path}: symlink target '{target}' leads outside {_root}");
        }

        // A later CopyFile through the link is caught by the real-path check; refusing the link itself says why sooner.
        CheckNotForbidden(resolved, request.Path);

        var temporary = name + ".tmp";
        LibC.UnlinkAt(parent, temporary, 0);
        SystemCallException.ThrowIfFailed(LibC.SymlinkAt(target, parent, temporary), "symlink", request.Path);
        if (request.Uid >= 0 && request.Gid >= 0)
        {
            SystemCallException.ThrowIfFailed(LibC.FchownAt(parent, temporary, (uint)request.Uid, (uint)request.Gid, LibC.AT_SYMLINK_NOFOLLOW), "chown", request.Path);
        }

        SystemCallException.ThrowIfFailed(LibC.RenameAt(parent, temporary, parent, name), "rename", request.Path);
    }

    private static void CopyChunk(int parent, string name, FileCopyRequest request)
    {
        if (request.Offset < 0 || request.FileSize < 0 || request.Offset + request.Data.Length > request.FileSize)
        {
            throw new InvalidArgumentException(
                $"CopyFile {request.Path}: chunk at offset {request.Offset} of {request.Data.Length} bytes does not fit a file of {request.FileSize} bytes");
        }

        var temporary = name + ".tmp";
        var flags = LibC.O_WRONLY | LibC.O_CREAT | LibC.O_NOFOLLOW | LibC.O_CLOEXEC | (request.Offset == 0 ? LibC.O_TRUNC : 0);
        using (var file = OpenBeneath(parent, temporary, flags, TemporaryFileMode, request.Path))
        {
            if (!request.Data.IsEmpty)
            {
                RandomAccess.Write(file, request.Data.Span, request.Offset);
            }

            if (request.Offset + request.Data.Length < request.FileSize)
            {
                return; // More chunks follow.
            }

            SystemCallException.ThrowIfFailed(LibC.Fchmod(Fd(file), request.FileMode & PermissionBits), "chmod", request.Path);
            Chown(file, request);
        }

        SystemCallException.ThrowIfFailed(LibC.RenameAt(parent, temporary, parent, name), "rename", request.Path);
    }

    private static SafeFileHandle OpenBeneath(int directory, string name, int flags, uint mode, string path)
    {
        var fd = LibC.OpenAt2(directory, name, flags, mode, Resolve);
        return fd >= 0 ? new SafeFileHandle(fd, ownsHandle: true) : throw Refusal(Marshal.GetLastPInvokeError(), path);
    }

    private static void Chown(SafeFileHandle handle, FileCopyRequest request)
    {
        if (request.Uid >= 0 && request.Gid >= 0)
        {
            SystemCallException.ThrowIfFailed(LibC.Fchown(Fd(handle), (uint)request.Uid, (uint)request.Gid), "chown", request.Path);
        }
    }

    private static SafeFileHandle Duplicate(int fd)
    {
        var copy = LibC.Fcntl(fd, LibC.F_DUPFD_CLOEXEC, 3);
        return copy >= 0 ? new SafeFileHandle(copy, ownsHandle: true) : throw SystemCallException.FromLastError("fcntl(F_DUPFD_CLOEXEC)");
    }

    private static Exception Refusal(int error, string path) => error switch
    {
        LibC.EXDEV or LibC.ELOOP => new InvalidArgumentException($"CopyFile {path}: a symlink on the way leads outside the copy root"),
        LibC.ENOTDIR => new InvalidArgumentException($"CopyFile {path}: a component on the way is not a directory"),
        _ => new SystemCallException("open", error, path),
    };

    private static int Fd(SafeFileHandle handle) => (int)handle.DangerousGetHandle();
}
