using System.Text;
using CliWrap;
using CliWrap.Buffered;
using Sealpod.Config.Toml;

namespace Sealpod.HostCheck.Tests;

/// <summary>
/// <c>make install</c>'s script (scripts/shim/install.sh) run into a DESTDIR under the test's directory, never into
/// /usr: the shim, sealpod-snapshotter, the nydus-overlayfs mount helper and sealpod-snapshotter.service land where the
/// script says, and the unit starts the installed snapshotter on the very socket <c>sealpod containerd-config
/// --guest-pull</c> tells containerd to use. The shim, snapshotter, guest and qboot files are stand-ins with unique bytes:
/// the script only copies them (building the NativeAOT products and the guest takes minutes; make install does that).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class InstallTests() : TempDirectoryTest("sp-install-")
{
    private const string UnitPath = "usr/local/lib/systemd/system/sealpod-snapshotter.service";

    [Fact]
    public async Task Install_places_the_snapshotter_its_unit_and_the_mount_helper_and_the_unit_serves_the_socket_containerd_config_names()
    {
        var products = StageProducts();
        string dest = Temp.Combine("dest");

        var install = await InstallAsync(dest, products);

        Assert.True(install.ExitCode == 0, install.StandardError);
        AssertInstalled(dest, "usr/local/bin/containerd-shim-sealpod-v2", products.Shim, executable: true);
        AssertInstalled(dest, "usr/local/bin/sealpod-snapshotter", products.Snapshotter, executable: true);
        AssertInstalled(dest, "usr/local/bin/nydus-overlayfs", Repository.Combine("src", "Snapshotter", "MountHelper", "nydus-overlayfs"), executable: true);
        AssertInstalled(dest, UnitPath, Repository.Combine("src", "Snapshotter", "Install", "sealpod-snapshotter.service"), executable: false);
        // The qemu and coco-dev profiles' guest root, at the path they name.
        AssertInstalled(dest, "usr/share/sealpod/sealpod-rootfs.img", Path.Combine(products.GuestDirectory, "rootfs.img"), executable: false);
        Assert.Contains(UnitPath, install.StandardOutput, StringComparison.Ordinal);

        var unit = Unit(await File.ReadAllTextAsync(Path.Combine(dest, UnitPath)));
        string[] exec = unit["ExecStart"].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("/usr/local/bin/sealpod-snapshotter", exec[0]);
        Assert.True(File.Exists(dest + exec[0]), $"the unit's ExecStart {exec[0]} is not installed");
        string address = Option(exec, "--address");
        string root = Option(exec, "--root");

        var snippet = await CliRun.RunAsync("snp", "containerd-config", "--config", FixturePaths.Config("configuration-qemu-snp.toml"), "--guest-pull");
        Assert.Equal(SealpodCli.ExitOk, snippet.ExitCode);
        var proxy = (TomlTable)((TomlTable)TomlReader.Parse(snippet.Out, "snippet")["proxy_plugins"])["sealpod"];
        Assert.Equal(((TomlString)proxy["address"]).Value, address);

        // systemd makes (and owns) the socket's directory and the snapshots' root: the names must be the unit's paths.
        Assert.Equal(Path.GetDirectoryName(address), "/run/" + unit["RuntimeDirectory"]);
        Assert.Equal(root, "/var/lib/" + unit["StateDirectory"]);
        Assert.Equal("containerd.service", unit["Before"]);
    }

    [Fact]
    public async Task Install_without_the_published_snapshotter_fails_naming_it_and_installs_nothing()
    {
        var products = StageProducts();
        File.Delete(products.Snapshotter);
        string dest = Temp.Combine("dest");

        var install = await InstallAsync(dest, products);

        Assert.NotEqual(0, install.ExitCode);
        Assert.Contains($"{products.Snapshotter} is missing (make snapshotter-aot)", install.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dest), "a failed install left files in DESTDIR");
    }

    private sealed record Products(string ShimDirectory, string Shim, string SnapshotterDirectory, string Snapshotter, string GuestDirectory);

    private Products StageProducts()
    {
        string shim = Directory.CreateDirectory(Temp.Combine("shim")).FullName;
        string snapshotter = Directory.CreateDirectory(Temp.Combine("snapshotter")).FullName;
        string guest = Directory.CreateDirectory(Temp.Combine("guest")).FullName;
        var products = new Products(shim, Path.Combine(shim, "containerd-shim-sealpod-v2"), snapshotter, Path.Combine(snapshotter, "sealpod-snapshotter"), guest);
        foreach (string file in new[] { products.Shim, products.Snapshotter })
        {
            File.WriteAllText(file, $"#!/bin/sh\n# stand-in {Guid.NewGuid()}\n");
            File.SetUnixFileMode(file, (UnixFileMode)0b111_101_101);
        }

        foreach (string file in new[] { "vmlinuz", "vmlinux", "vmlinuz-cloud", "initrd.img", "rootfs.img", "qboot.rom" })
        {
            File.WriteAllText(Path.Combine(guest, file), $"stand-in {file} {Guid.NewGuid()}\n");
        }

        return products;
    }

    private static Task<BufferedCommandResult> InstallAsync(string dest, Products products) =>
        CliWrap.Cli.Wrap("bash")
            .WithArguments([Repository.Combine("scripts", "shim", "install.sh")])
            .WithEnvironmentVariables(new Dictionary<string, string?>
            {
                ["DESTDIR"] = dest,
                ["SHIM_DIR"] = products.ShimDirectory,
                ["SNAPSHOTTER_DIR"] = products.SnapshotterDirectory,
                ["GUEST_OUT"] = products.GuestDirectory,
                ["QBOOT"] = Path.Combine(products.GuestDirectory, "qboot.rom"),
            })
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(Encoding.UTF8);

    private static void AssertInstalled(string dest, string relative, string source, bool executable)
    {
        string installed = Path.Combine(dest, relative);
        Assert.True(File.Exists(installed), $"{relative} is not installed");
        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(installed));
        Assert.Equal(executable, File.GetUnixFileMode(installed).HasFlag(UnixFileMode.UserExecute));
    }

    /// <summary>The unit's Key=Value lines (sections and comments aside); a key set twice is an error here.</summary>
    private static Dictionary<string, string> Unit(string text) =>
        text.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && line[0] is not ('#' or ';' or '[') && line.Contains('=', StringComparison.Ordinal))
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);

    private static string Option(string[] command, string flag)
    {
        int index = Array.IndexOf(command, flag);
        Assert.True(index > 0 && index + 1 < command.Length, $"ExecStart lacks {flag} VALUE: {string.Join(' ', command)}");
        return command[index + 1];
    }
}
