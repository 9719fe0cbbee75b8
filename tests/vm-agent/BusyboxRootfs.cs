using CliWrap;
using CliWrap.Buffered;

namespace Sealpod.VmAgent.IntegrationTests;

/// <summary>A minimal container root filesystem: Debian's static busybox and its applet links.</summary>
internal static class BusyboxRootfs
{
    public static async Task<string> CreateAsync(string parent)
    {
        string root = Directory.CreateDirectory(Path.Combine(parent, "rootfs")).FullName;
        foreach (var dir in new[] { "bin", "etc", "proc", "sys", "dev", "tmp", "root" })
        {
            Directory.CreateDirectory(Path.Combine(root, dir));
        }

        File.Copy("/bin/busybox", Path.Combine(root, "bin", "busybox"));
        File.SetUnixFileMode(Path.Combine(root, "bin", "busybox"), (UnixFileMode)0b111_101_101);
        foreach (var applet in await AppletsAsync())
        {
            string link = Path.Combine(root, "bin", applet);
            if (!File.Exists(link))
            {
                File.CreateSymbolicLink(link, "busybox");
            }
        }

        File.WriteAllText(Path.Combine(root, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n");
        File.WriteAllText(Path.Combine(root, "etc", "group"), "root:x:0:\nnogroup:x:65534:\n");
        return root;
    }

    private static async Task<IEnumerable<string>> AppletsAsync()
    {
        string output = (await Cli.Wrap("/bin/busybox").WithArguments(["--list"]).ExecuteBufferedAsync()).StandardOutput;
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(a => a != "busybox");
    }
}
