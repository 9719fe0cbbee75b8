namespace Sealpod.Linux.IO;

/// <summary>The end of a log file (a guest console, a hypervisor's log), for error messages; never throws for an unreadable file.</summary>
public static class FileTail
{
    /// <summary>The last <paramref name="maxBytes"/> bytes of the file, decoded leniently; empty when it cannot be read.</summary>
    public static string ReadBytes(string? path, int maxBytes)
    {
        if (string.IsNullOrEmpty(path))
        {
            return string.Empty;
        }

        try
        {
            return Encoding.UTF8.GetString(Tail(path, maxBytes, out _));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    /// <summary>The last <paramref name="maxLines"/> lines within the last <paramref name="maxBytes"/> bytes (a cut first line dropped); empty when unreadable.</summary>
    public static string Read(string? path, int maxLines = 20, int maxBytes = 8192)
    {
        if (string.IsNullOrEmpty(path))
        {
            return string.Empty;
        }

        try
        {
            var buffer = Tail(path, maxBytes, out bool cut);
            var lines = Encoding.UTF8.GetString(buffer).Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n');
            return string.Join('\n', lines.Skip(cut ? 1 : 0).TakeLast(maxLines + 1)).TrimEnd();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    private static byte[] Tail(string path, int maxBytes, out bool cut)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        long start = Math.Max(0, file.Length - maxBytes);
        file.Seek(start, SeekOrigin.Begin);
        var buffer = new byte[file.Length - start];
        file.ReadExactly(buffer);
        cut = start > 0;
        return buffer;
    }
}
