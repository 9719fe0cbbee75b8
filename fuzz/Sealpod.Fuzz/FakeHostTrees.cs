using Sealpod.Runtime.Sharing;

namespace Sealpod.Fuzz;

/// <summary>
/// Stands in for the host's filesystem when a bind mount's source is looked at: fuzz input must never make the
/// harness read (or copy) real host files. A source whose last part has a dot is a small file, /dev/... a device,
/// a path containing "missing" is absent, anything else a directory with one file.
/// </summary>
internal static class FakeHostTrees
{
    public static HostTree Read(string path, int maxEntries)
    {
        if (path.Contains("missing", StringComparison.Ordinal))
        {
            return new HostTree(path, HostTreeKind.Missing, []) { Error = "No such file or directory" };
        }

        if (path.StartsWith("/dev/", StringComparison.Ordinal))
        {
            return new HostTree(path, HostTreeKind.Other, []);
        }

        return Path.GetFileName(path).Contains('.', StringComparison.Ordinal)
            ? new HostTree(path, HostTreeKind.File, [new HostEntry(string.Empty, 0x81A4, 0, 0, 4) { Content = "abc\n"u8.ToArray() }])
            : new HostTree(path, HostTreeKind.Directory, [new HostEntry(string.Empty, 0x41ED, 0, 0, 0), new HostEntry("a.txt", 0x81A4, 0, 0, 4) { Content = "abc\n"u8.ToArray() }]);
    }
}
