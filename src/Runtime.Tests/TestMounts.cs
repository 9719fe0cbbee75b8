using System.Diagnostics;
using Sealpod.Linux.Native;

namespace Sealpod.Runtime.Tests;

internal static class TestMounts
{
    public static bool CanMount => Environment.UserName == "root" || LibC.GetEffectiveUserId() == 0;

    public static void MountLoop(string image, string mountPoint, string type) =>
        Run("mount", "-t", type, "-o", "loop,ro", image, mountPoint);

    public static void TryUnmount(string mountPoint)
    {
        using var p = Process.Start(new ProcessStartInfo("umount", mountPoint) { RedirectStandardError = true, UseShellExecute = false });
        p?.WaitForExit();
    }

    public static void Chown(string path, int uid, int gid)
    {
        SystemCallException.ThrowIfFailed(LibC.FchownAt(LibC.AT_FDCWD, path, (uint)uid, (uint)gid, 0), "chown", path);
    }

    public static (uint Uid, uint Gid) Owner(string path)
    {
        var output = Run("stat", "-c", "%u %g", path).Trim().Split(' ');
        return (uint.Parse(output[0], System.Globalization.CultureInfo.InvariantCulture), uint.Parse(output[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    private static string Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var p = Process.Start(start)!;
        string stdout = p.StandardOutput.ReadToEnd();
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new IOException($"{file} {string.Join(' ', args)}: exit {p.ExitCode}: {stderr}");
        }

        return stdout;
    }
}
