namespace Sealpod.CriHarness;

/// <summary>
/// Where the harness finds what it runs: the source tree (scripts/shim: the busybox image builder, the config
/// stager), the shim binary containerd starts for the sealpod handler, the guest build, and the parent of its
/// scratch directories (short: containerd's and the VMs' unix socket paths live under it and must fit 107 bytes).
/// </summary>
public sealed record CriHarnessPaths(string RepositoryRoot, string ShimBinary, string GuestDirectory, string ScratchParent)
{
    public string Script(string name) => Path.Combine(RepositoryRoot, "scripts", "shim", name);

    /// <summary>Sealpod's nydus-overlayfs, the mount helper `make install` ships beside the shim.</summary>
    public string MountHelper => Path.Combine(RepositoryRoot, "src", "Snapshotter", "MountHelper", "nydus-overlayfs");

    /// <summary>
    /// The sealpod-snapshotter containerd's proxy plugin runs: <c>$SEALPOD_SNAPSHOTTER_BINARY</c> (the Makefile names
    /// the published one), else src/Snapshotter's build output for the caller's configuration (Debug or Release).
    /// </summary>
    public string SnapshotterBinary { get; init; } =
        Environment.GetEnvironmentVariable("SEALPOD_SNAPSHOTTER_BINARY") is { Length: > 0 } chosen
            ? chosen
            : Path.Combine(RepositoryRoot, "src", "Snapshotter", "bin", new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0", "sealpod-snapshotter");

    public string ShippedConfig => Path.Combine(RepositoryRoot, "configs", "configuration-qemu-coco-dev.toml");

    /// <summary>Whether the guest kernel, initrd and root disk image are built (the sealpod handler needs them, runc does not).</summary>
    public bool GuestBuilt => new[] { "vmlinuz", "vmlinux", "initrd.img", "rootfs.img" }.All(f => File.Exists(Path.Combine(GuestDirectory, f)));

    /// <summary>The paths a source checkout uses: build/ under the directory holding Runtime.sln above <paramref name="start"/>.</summary>
    public static CriHarnessPaths FromSourceTree(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Runtime.sln")))
            {
                string build = Path.Combine(directory.FullName, "build");
                string shim = Environment.GetEnvironmentVariable("SEALPOD_SHIM_BINARY") is { Length: > 0 } chosen
                    ? chosen
                    : Path.Combine(build, "shim", "containerd-shim-sealpod-v2");
                string guest = Environment.GetEnvironmentVariable("GUEST_OUT") is { Length: > 0 } g ? g : Path.Combine(build, "guest");
                string scratch = Environment.GetEnvironmentVariable("SEALPOD_TEST_TMP") is { Length: > 0 } s ? s : Path.GetTempPath();
                return new CriHarnessPaths(directory.FullName, shim, guest, scratch);
            }
        }

        throw new DirectoryNotFoundException($"no Runtime.sln above {start}: run from the source tree");
    }
}
