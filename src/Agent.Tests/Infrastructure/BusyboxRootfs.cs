namespace Sealpod.Agent.Tests.Infrastructure;

/// <summary>
/// A container root filesystem made of the host's static busybox and a symlink per applet, plus
/// the directories runc mounts over. Built once per test run in a temporary directory.
/// </summary>
internal static class BusyboxRootfs
{
    public const string Busybox = "/bin/busybox";

    public static async Task<string> CreateAsync(string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var sub in new[] { "bin", "proc", "dev", "sys", "tmp", "etc", "root", "run" })
        {
            Directory.CreateDirectory(Path.Combine(directory, sub));
        }

        File.Copy(Busybox, Path.Combine(directory, "bin", "busybox"), overwrite: true);
        var applets = await TestProcess.RunCheckedAsync(Busybox, "--list");
        foreach (var applet in applets.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var link = Path.Combine(directory, "bin", applet.Trim());
            if (applet.Trim() != "busybox" && !File.Exists(link))
            {
                File.CreateSymbolicLink(link, "busybox");
            }
        }

        await File.WriteAllTextAsync(Path.Combine(directory, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n");
        await File.WriteAllTextAsync(Path.Combine(directory, "etc", "group"), "root:x:0:\nnobody:x:65534:\n");
        return directory;
    }
}
