namespace Sealpod.Linux.Tests;

/// <summary>
/// A temporary directory for tests that mount (they run as root on the build machine). Disposing detaches
/// whatever is still mounted under it, read straight from /proc/self/mountinfo rather than through the code
/// under test, and removes it only when nothing is mounted there any more.
/// </summary>
internal sealed class MountScratch : IDisposable
{
    public MountScratch(string prefix)
    {
        Assert.True(LibC.GetEffectiveUserId() == 0, "these tests mount and need root");
        Path = Directory.CreateTempSubdirectory(prefix).FullName;
    }

    public string Path { get; }

    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    public string CreateDirectory(string relative) => Directory.CreateDirectory(this[relative]).FullName;

    public void Bind(string source, string target, bool recursive = false) =>
        SystemCallException.ThrowIfFailed(LibC.Mount(source, target, null, LibC.MS_BIND | (recursive ? LibC.MS_REC : 0), null), "bind", target);

    public void Tmpfs(string target) =>
        SystemCallException.ThrowIfFailed(LibC.Mount("tmpfs", target, "tmpfs", 0, null), "mount tmpfs", target);

    /// <summary>
    /// Mount points at or under the scratch directory, as the kernel lists them with its octal escapes undone (a test
    /// mounts under "with space", which mountinfo writes as <c>with\040space</c>: kept escaped, that mount was never
    /// detached and the directory was left behind).
    /// </summary>
    public List<string> MountPoints() =>
        File.ReadAllLines("/proc/self/mountinfo")
            .Select(line => Unescape(line.Split(' ')[4]))
            .Where(point => point == Path || point.StartsWith(Path + "/", StringComparison.Ordinal))
            .ToList();

    private static string Unescape(string field) =>
        System.Text.RegularExpressions.Regex.Replace(field, @"\\([0-7]{3})", m => ((char)Convert.ToInt32(m.Groups[1].Value, 8)).ToString());

    public void Dispose()
    {
        for (int pass = 0; pass < 10 && MountPoints() is { Count: > 0 } points; pass++)
        {
            foreach (var point in points.OrderByDescending(p => p.Length))
            {
                LibC.Umount2(point, LibC.MNT_DETACH);
            }
        }

        if (MountPoints().Count == 0)
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
