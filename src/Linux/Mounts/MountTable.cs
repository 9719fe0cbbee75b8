using System.Globalization;

namespace Sealpod.Linux.Mounts;

/// <summary>
/// The mounts of this process's mount namespace, from /proc/self/mountinfo (proc(5)): the only list that
/// has every mount, including ones stacked on the same point and binds whose source is a subdirectory.
/// </summary>
public static class MountTable
{
    public const string SelfMountInfo = "/proc/self/mountinfo";

    /// <summary>Reads and parses <paramref name="path"/>.</summary>
    public static IReadOnlyList<MountEntry> Read(string path = SelfMountInfo) => Parse(File.ReadAllText(path), path);

    /// <summary>Parses mountinfo text; a malformed line is an error naming <paramref name="source"/> and the line.</summary>
    public static IReadOnlyList<MountEntry> Parse(string text, string source = SelfMountInfo)
    {
        var entries = new List<MountEntry>();
        int number = 0;
        foreach (var line in text.Split('\n'))
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            // id parent major:minor root mount-point options [optional fields...] - type source super-options
            var fields = line.Split(' ');
            int separator = Array.IndexOf(fields, "-", 6);
            if (fields.Length < 7 || separator < 0 || separator + 2 >= fields.Length
                || !int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out int id)
                || !int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out int parent))
            {
                throw new FormatException($"{source} line {number}: expected 'id parent major:minor root mount-point options ... - type source options', got '{line}'");
            }

            entries.Add(new MountEntry(id, parent, Unescape(fields[3]), Unescape(fields[4]), Unescape(fields[separator + 1]), Unescape(fields[separator + 2]),
                separator + 3 < fields.Length ? Unescape(fields[separator + 3]) : string.Empty));
        }

        return entries;
    }

    /// <summary>Whether something is mounted exactly at <paramref name="path"/> (made absolute, no trailing slash).</summary>
    public static bool IsMountPoint(string path, string mountInfo = SelfMountInfo)
    {
        var full = Path.GetFullPath(path).TrimEnd('/');
        var target = full.Length == 0 ? "/" : full;
        return Read(mountInfo).Any(entry => entry.MountPoint == target);
    }

    /// <summary>
    /// The kernel writes space, tab, newline and backslash in paths as a backslash and three octal digits
    /// (\040 ...); anything else is left as it is. The bytes are UTF-8 once decoded.
    /// </summary>
    public static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var bytes = new List<byte>(field.Length);
        var raw = Encoding.UTF8.GetBytes(field);
        for (int i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '\\' && i + 3 < raw.Length && IsOctal(raw[i + 1]) && IsOctal(raw[i + 2]) && IsOctal(raw[i + 3]))
            {
                bytes.Add((byte)(((raw[i + 1] - '0') << 6) | ((raw[i + 2] - '0') << 3) | (raw[i + 3] - '0')));
                i += 3;
            }
            else
            {
                bytes.Add(raw[i]);
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static bool IsOctal(byte b) => b is >= (byte)'0' and <= (byte)'7';
}
