using System.Text;

namespace Sealpod.Runtime.Diagnostics;

/// <summary>The end of a log file (the guest console), for error messages.</summary>
public static class FileTail
{
    /// <summary>The last <paramref name="maxLines"/> lines within the last <paramref name="maxBytes"/> bytes; empty when unreadable.</summary>
    public static string Read(string? path, int maxLines = 20, int maxBytes = 8192)
    {
        if (string.IsNullOrEmpty(path))
        {
            return string.Empty;
        }

        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            long start = Math.Max(0, file.Length - maxBytes);
            file.Seek(start, SeekOrigin.Begin);
            var buffer = new byte[file.Length - start];
            file.ReadExactly(buffer);
            var lines = Encoding.UTF8.GetString(buffer).Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n');
            return string.Join('\n', lines.Skip(start > 0 ? 1 : 0).TakeLast(maxLines + 1)).TrimEnd();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }
}
