namespace Sealpod.Linux.Native;

/// <summary>Extended attributes of a path itself (the l- calls: a symbolic link's own, never its target's).</summary>
public static unsafe partial class LibC
{
    public const int ENODATA = 61;
    public const int ERANGE = 34;
    public const int ENOTSUP = 95;

    [LibraryImport(Library, EntryPoint = "llistxattr", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial nint LListXattr(string path, byte* list, nuint size);

    [LibraryImport(Library, EntryPoint = "lgetxattr", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial nint LGetXattr(string path, string name, byte* value, nuint size);

    [LibraryImport(Library, EntryPoint = "lsetxattr", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int LSetXattr(string path, string name, byte* value, nuint size, int flags);

    /// <summary>
    /// The names and values of <paramref name="path"/>'s extended attributes, names in ordinal order; empty where the
    /// filesystem has none. Sized by asking first, retried if one grows meanwhile.
    /// </summary>
    public static List<(string Name, byte[] Value)> ListExtendedAttributes(string path)
    {
        var result = new List<(string, byte[])>();
        var names = ReadSized((buffer, size) => LListXattr(path, buffer, size), "llistxattr", path);
        if (names is null)
        {
            return result;
        }

        foreach (var name in System.Text.Encoding.UTF8.GetString(names).Split('\0', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal))
        {
            var value = ReadSized((buffer, size) => LGetXattr(path, name, buffer, size), "lgetxattr " + name, path);
            if (value is not null)
            {
                result.Add((name, value));
            }
        }

        return result;
    }

    private delegate nint SizedCall(byte* buffer, nuint size);

    // null: no such attribute (removed meanwhile) or the filesystem has no extended attributes.
    private static byte[]? ReadSized(SizedCall call, string operation, string path)
    {
        for (int attempt = 0; attempt < 8; attempt++)
        {
            nint needed = call(null, 0);
            if (needed < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                return errno is ENODATA or ENOTSUP ? null : throw new SystemCallException(operation, errno, path);
            }

            var buffer = new byte[needed];
            fixed (byte* pointer = buffer)
            {
                nint length = call(pointer, (nuint)buffer.Length);
                if (length >= 0)
                {
                    return buffer[..(int)length];
                }

                int errno = Marshal.GetLastPInvokeError();
                if (errno != ERANGE)
                {
                    return errno is ENODATA or ENOTSUP ? null : throw new SystemCallException(operation, errno, path);
                }
            }
        }

        throw new SystemCallException(operation, ERANGE, path);
    }
}
