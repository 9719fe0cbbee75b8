namespace Sealpod.IntegrationTests;

/// <summary>
/// Sealpod's nydus-overlayfs (src/Snapshotter/MountHelper) called as containerd 1.6 calls it for a
/// fuse.nydus-overlayfs snapshot: Debian's mount.fuse (fuse3) with one -o per option and -t nydus-overlayfs,
/// the helper found on PATH. The result must be a plain overlay of the given directories, without the
/// io.katacontainers.volume option only Kata's runtime reads.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Root)]
public sealed class NydusOverlayfsHelperTests : IDisposable
{
    private readonly TempDirectory _work = new("sp-nyovl-");

    public void Dispose()
    {
        string merged = _work.Combine("merged");
        if (Mounted(merged) is not null)
        {
            Tool.RunAsync("umount", [merged]).GetAwaiter().GetResult();
        }

        _work.Dispose();
    }

    [Fact]
    public async Task Mount_fuse_runs_the_helper_which_mounts_the_overlay_without_the_kata_volume_option()
    {
        string lower1 = Directory.CreateDirectory(_work.Combine("lower1")).FullName;
        string lower2 = Directory.CreateDirectory(_work.Combine("lower2")).FullName;
        string upper = Directory.CreateDirectory(_work.Combine("upper")).FullName;
        string workdir = Directory.CreateDirectory(_work.Combine("work")).FullName;
        string merged = Directory.CreateDirectory(_work.Combine("merged")).FullName;
        await File.WriteAllTextAsync(Path.Combine(lower1, "etc-group"), "root:x:0:\n");
        await File.WriteAllTextAsync(Path.Combine(lower2, "below"), "lower2\n");
        string helperDirectory = Path.GetDirectoryName(Repository.Combine("src", "Snapshotter", "MountHelper", "nydus-overlayfs"))!;

        (await Tool.RunAsync(
            "mount.fuse",
            ["overlay", merged, "-o", $"lowerdir={lower1}:{lower2}", "-o", $"upperdir={upper}", "-o", $"workdir={workdir}",
             "-o", "io.katacontainers.volume=eyJ2b2x1bWVfdHlwZSI6ImltYWdlX2d1ZXN0X3B1bGwifQ==", "-t", "nydus-overlayfs"],
            environment: new Dictionary<string, string> { ["PATH"] = helperDirectory + ":/usr/sbin:/usr/bin:/sbin:/bin" })).EnsureSuccess();

        string mountInfo = Mounted(merged) ?? throw new Xunit.Sdk.XunitException($"nothing is mounted on {merged}");
        Assert.Contains(" - overlay overlay ", mountInfo);
        Assert.Contains($"lowerdir={lower1}:{lower2}", mountInfo);
        Assert.Contains($"upperdir={upper}", mountInfo);
        Assert.DoesNotContain("io.katacontainers", mountInfo);
        Assert.Equal("root:x:0:\n", await File.ReadAllTextAsync(Path.Combine(merged, "etc-group")));
        Assert.Equal("lower2\n", await File.ReadAllTextAsync(Path.Combine(merged, "below")));

        (await Tool.RunAsync("umount", [merged])).EnsureSuccess();
        Assert.Null(Mounted(merged));
    }

    [Fact]
    public async Task A_source_other_than_overlay_is_refused_naming_it()
    {
        var result = await Tool.RunAsync(
            Repository.Combine("src", "Snapshotter", "MountHelper", "nydus-overlayfs"), ["/dev/sda1", _work.Combine("merged"), "-o", "ro"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("source is '/dev/sda1', expected 'overlay'", result.Stderr);
    }

    /// <summary>The /proc/self/mountinfo line of the mount on <paramref name="target"/>, or null.</summary>
    private static string? Mounted(string target) =>
        File.ReadLines("/proc/self/mountinfo").FirstOrDefault(line => line.Split(' ')[4] == target);
}
