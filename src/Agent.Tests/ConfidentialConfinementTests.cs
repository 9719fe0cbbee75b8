namespace Sealpod.Agent.Tests;

/// <summary>
/// What the host may make the agent touch in a confidential guest (issue 12, item 10): storages only below the
/// storage roots, bind sources only from those roots, the shared directory and named devices, CopyFile never into the
/// Init-Data directory, kernel modules by name only. Directories are temporary folders standing in for the guest's.
/// </summary>
public sealed class ConfidentialConfinementTests : TempDirectoryTest
{
    private readonly AgentOptions _options;

    public ConfidentialConfinementTests()
        : base("sealpod-confine-")
    {
        _options = new AgentOptions
        {
            StorageRoot = Temp.Combine("run", "sealpod", "storage"),
            LocalStorageRoot = Temp.Combine("run", "kata-containers", "sandbox", "local"),
            SharedFilesRoot = Temp.Combine("run", "sealpod", "shared"),
            CopyFileRoot = Temp.Combine("run"),
            InitDataDirectory = Temp.Combine("run", "confidential-containers", "initdata"),
            Confidential = true,
        };
        Directory.CreateDirectory(_options.StorageRoot);
        Directory.CreateDirectory(_options.LocalStorageRoot);
        Directory.CreateDirectory(_options.SharedFilesRoot);
        Directory.CreateDirectory(_options.InitDataDirectory);
    }
    [Fact]
    public async Task A_storage_mount_point_outside_the_storage_roots_is_refused()
    {
        var elsewhere = Temp.Combine("run", "confidential-containers", "initdata", "over");

        var error = await Assert.ThrowsAsync<InvalidArgumentException>(() => Storage(_options).MountAsync(Local(elsewhere), CancellationToken.None));

        Assert.StartsWith($"storage mount_point '{elsewhere}' is outside the agent's storage roots ({_options.StorageRoot}, {_options.LocalStorageRoot})", error.Message);
        Assert.False(Directory.Exists(elsewhere));
    }

    [Fact]
    public async Task Storages_below_the_roots_are_mounted_and_elsewhere_outside_a_confidential_guest()
    {
        var volume = Path.Combine(_options.LocalStorageRoot, "cache");
        var rootfs = Path.Combine(_options.StorageRoot, "c1", "scratch");
        var elsewhere = Temp.Combine("run", "elsewhere");

        var storage = Storage(_options);
        storage.Release(await storage.MountAsync(Local(volume), CancellationToken.None));
        storage.Release(await storage.MountAsync(Local(rootfs), CancellationToken.None));
        var plain = Storage(_options with { Confidential = false });
        var mounted = await plain.MountAsync(Local(elsewhere), CancellationToken.None);

        Assert.True(Directory.Exists(elsewhere));
        plain.Release(mounted);
    }

    [Fact]
    public async Task A_mount_point_through_a_link_a_container_wrote_into_a_storage_is_refused()
    {
        // A container that can write its emptyDir can leave a link there; mount(2) would follow it.
        var volume = Path.Combine(_options.LocalStorageRoot, "shared-volume");
        Directory.CreateDirectory(volume);
        File.CreateSymbolicLink(Path.Combine(volume, "link"), _options.InitDataDirectory);
        var target = Path.Combine(volume, "link", "x");

        var error = await Assert.ThrowsAsync<InvalidArgumentException>(() => Storage(_options).MountAsync(Local(target), CancellationToken.None));

        Assert.Equal($"storage mount_point '{target}' passes through the symbolic link {Path.Combine(volume, "link")} (to {_options.InitDataDirectory})", error.Message);
        Assert.False(Directory.Exists(Path.Combine(_options.InitDataDirectory, "x")));
    }

    [Theory]
    [InlineData("overlayfs", "overlay", "lowerdir={initdata}", "overlay lowerdir '{initdata}' is outside")]
    [InlineData("overlayfs", "overlay", "lowerdir={storage}/img:/etc", "overlay lowerdir '/etc' is outside")]
    [InlineData("overlayfs", "overlay", "upperdir=/etc", "overlay upperdir '/etc' is outside")]
    [InlineData("blk", "{initdata}", "ro", "source '{initdata}' is not below /dev")]
    [InlineData("ephemeral", "tmpfs", "bind", "option bind is not allowed in a confidential guest")]
    public async Task A_storage_naming_guest_paths_outside_the_roots_is_refused(string driver, string source, string option, string message)
    {
        string Fill(string text) => text.Replace("{initdata}", _options.InitDataDirectory, StringComparison.Ordinal).Replace("{storage}", _options.StorageRoot, StringComparison.Ordinal);
        var mountPoint = Path.Combine(_options.StorageRoot, "c1", "rootfs");
        var spec = new StorageSpec { Driver = driver, Source = Fill(source), FileSystemType = driver == "blk" ? "ext4" : driver, Options = [Fill(option)], MountPoint = mountPoint };

        var error = await Assert.ThrowsAsync<InvalidArgumentException>(() => Storage(_options).MountAsync(spec, CancellationToken.None));

        Assert.Contains(Fill(message), error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(mountPoint));
    }

    [Theory]
    [InlineData("/etc", "is outside")]
    [InlineData("{initdata}/aa.toml", "is outside")]
    [InlineData("{shared}", "is outside")]
    [InlineData("{shared}/../../confidential-containers/initdata/aa.toml", "is outside")]
    [InlineData("/dev/sda", "is not a device node the spec names")]
    [InlineData("/dev/kmsg", "is not a device node the spec names")]
    public void A_bind_source_outside_the_roots_and_the_named_devices_is_refused(string source, string message)
    {
        source = source.Replace("{initdata}", _options.InitDataDirectory, StringComparison.Ordinal).Replace("{shared}", _options.SharedFilesRoot, StringComparison.Ordinal);
        var spec = Spec(new OciMount { Destination = "/data", Type = "bind", Source = source, Options = ["rbind", "ro"] });

        var error = Assert.Throws<InvalidArgumentException>(() => Apply(spec));

        Assert.Contains($"the bind mount source for /data '{source}' {message}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bind_source_through_a_link_in_a_storage_is_refused()
    {
        var volume = Path.Combine(_options.LocalStorageRoot, "v");
        Directory.CreateDirectory(volume);
        File.CreateSymbolicLink(Path.Combine(volume, "etc"), "/etc");

        var error = Assert.Throws<InvalidArgumentException>(() => Apply(Spec(new OciMount { Destination = "/data", Type = "bind", Source = Path.Combine(volume, "etc"), Options = ["rbind"] })));

        Assert.Contains("passes through the symbolic link", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("overlay")]
    [InlineData("ext4")]
    [InlineData("9p")]
    public void A_mount_of_a_real_filesystem_is_refused(string type)
    {
        var spec = Spec(new OciMount { Destination = "/data", Type = type, Source = "/dev/vda", Options = ["lowerdir=" + _options.InitDataDirectory] });

        var error = Assert.Throws<InvalidArgumentException>(() => Apply(spec));

        Assert.StartsWith($"mounts: /data is a '{type}' mount: a confidential guest mounts only bind mounts and proc, sysfs, tmpfs", error.Message);
    }

    [Fact]
    public void Binds_from_the_shared_directory_and_the_storages_named_devices_and_pseudo_filesystems_pass()
    {
        var copied = Path.Combine(_options.SharedFilesRoot, "c1", "0-hostname");
        var volume = Path.Combine(_options.LocalStorageRoot, "cache");
        Directory.CreateDirectory(Path.GetDirectoryName(copied)!);
        File.WriteAllText(copied, "pod\n");
        Directory.CreateDirectory(volume);
        var spec = Spec(
            new OciMount { Destination = "/etc/hostname", Type = "bind", Source = copied, Options = ["rbind", "ro"] },
            new OciMount { Destination = "/cache", Type = "bind", Source = volume, Options = ["rbind"] },
            new OciMount { Destination = "/dev/null-too", Type = "bind", Source = "/dev/null", Options = ["bind"] },
            new OciMount { Destination = "/dev/disk", Source = "/dev/loop-control", Options = ["bind"] },
            new OciMount { Destination = "/proc", Type = "proc", Source = "proc" },
            new OciMount { Destination = "/scratch", Type = "tmpfs", Source = "tmpfs" }) with
        {
            Linux = new OciLinux { Namespaces = [], Devices = [new OciDevice { Path = "/dev/loop-control", Type = "c", Major = 10, Minor = 237 }] },
        };

        var applied = Apply(spec);

        Assert.Contains(applied.Mounts!, mount => mount.Destination == "/cache");
        Assert.Contains(applied.Mounts!, mount => mount.Destination == "/dev/disk");
    }

    [Fact]
    public void A_root_outside_the_storage_roots_is_refused()
    {
        var error = Assert.Throws<InvalidArgumentException>(() => new ConfidentialConfinement(_options).CheckRoot("/"));

        Assert.StartsWith("root.path '/' is outside the agent's storage roots", error.Message);
        new ConfidentialConfinement(_options).CheckRoot(Path.Combine(_options.StorageRoot, "c1", "rootfs"));
    }

    [Fact]
    public void Copy_file_never_writes_into_the_init_data_directory()
    {
        var copier = new FileCopier(_options.CopyFileRoot, [_options.InitDataDirectory]);
        var aa = Path.Combine(_options.InitDataDirectory, "aa.toml");

        var direct = Assert.Throws<InvalidArgumentException>(() => copier.Copy(Regular(aa, "url = 'http://evil'")));
        var parent = Assert.Throws<InvalidArgumentException>(() => copier.Copy(new FileCopyRequest { Path = Path.GetDirectoryName(_options.InitDataDirectory)!, FileMode = LibC.S_IFDIR | 0x1FF }));
        var link = Assert.Throws<InvalidArgumentException>(() => copier.Copy(Symlink(Path.Combine(_options.CopyFileRoot, "l"), "confidential-containers/initdata")));

        Assert.Equal($"CopyFile path '{aa}' reaches {_options.InitDataDirectory}, which the host may not write", direct.Message);
        Assert.Contains("which the host may not write", parent.Message, StringComparison.Ordinal);
        Assert.Contains("which the host may not write", link.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(aa));
    }

    [Fact]
    public void Copy_file_through_a_link_already_there_is_caught_by_where_the_kernel_opened()
    {
        // However the link got there (an older agent, a container's volume), the directory really opened decides.
        // Relative, so that it stays beneath the copy root: the kernel refuses an absolute link under RESOLVE_BENEATH anyway.
        File.CreateSymbolicLink(Path.Combine(_options.CopyFileRoot, "planted"), "confidential-containers/initdata");
        var copier = new FileCopier(_options.CopyFileRoot, [_options.InitDataDirectory]);

        var error = Assert.Throws<InvalidArgumentException>(() => copier.Copy(Regular(Path.Combine(_options.CopyFileRoot, "planted", "aa.toml"), "x")));

        Assert.Contains($"reaches {_options.InitDataDirectory}", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_options.InitDataDirectory, "aa.toml")));
        Assert.False(File.Exists(Path.Combine(_options.InitDataDirectory, "aa.toml.tmp")));
    }

    [Fact]
    public void Copy_file_still_writes_elsewhere_below_its_root()
    {
        var copier = new FileCopier(_options.CopyFileRoot, [_options.InitDataDirectory]);
        var path = Path.Combine(_options.SharedFilesRoot, "c1", "0-hostname");

        copier.Copy(Regular(path, "pod\n"));

        Assert.Equal("pod\n", File.ReadAllText(path));
    }

    [Theory]
    [InlineData("-d")]
    [InlineData("--dry-run")]
    [InlineData("")]
    [InlineData("a b")]
    [InlineData("../loop")]
    [InlineData("an_extremely_long_module_name_that_the_kernel_cannot_hold_at_all")]
    public void A_kernel_module_name_that_is_not_one_is_refused(string name)
    {
        var error = Assert.Throws<InvalidArgumentException>(() => GuestSystem.ModprobeArguments(name, []));

        Assert.StartsWith($"kernel module name '{name}' is invalid", error.Message);
    }

    [Theory]
    [InlineData("-v")]
    [InlineData("--config=/tmp/x")]
    [InlineData("max_loop=8 other=1")]
    [InlineData("opt=\"a b\"")]
    [InlineData("=1")]
    [InlineData("key=\n")]
    public void A_kernel_module_parameter_that_is_not_one_is_refused(string parameter)
    {
        var error = Assert.Throws<InvalidArgumentException>(() => GuestSystem.ModprobeArguments("loop", ["max_loop=8", parameter]));

        Assert.StartsWith($"kernel module loop: parameter '{parameter}' is invalid", error.Message);
    }

    [Fact]
    public void Modprobe_gets_the_module_and_its_parameters_after_the_end_of_options()
    {
        Assert.Equal(["--", "loop", "max_loop=8", "max_part", "hw-name=a,b:c"], GuestSystem.ModprobeArguments("loop", ["max_loop=8", "max_part", "hw-name=a,b:c"]));
    }

    [Fact]
    public async Task A_module_name_that_is_an_option_is_refused_before_anything_runs()
    {
        // ManageGuest is off, so a valid name would be logged and skipped: the refusal comes first.
        var guest = new GuestSystem(_options, Infrastructure.TestProcess.Runner, NullLogger.Instance);

        await Assert.ThrowsAsync<InvalidArgumentException>(() => guest.LoadKernelModuleAsync("-d", ["/tmp"], CancellationToken.None));
        await guest.LoadKernelModuleAsync("loop", [], CancellationToken.None);
    }

    private static StorageManager Storage(AgentOptions options) =>
        new(options, new BlockDeviceResolver("/sys"), TimeProvider.System, NullLogger.Instance);

    private static StorageSpec Local(string mountPoint) => new() { Driver = "local", Source = "local", FileSystemType = "local", MountPoint = mountPoint };

    private static OciSpec Spec(params OciMount[] mounts) => new()
    {
        OciVersion = "1.0.2",
        Process = new OciProcess { Args = ["sh"], Cwd = "/", User = new OciUser() },
        Mounts = mounts,
    };

    private OciSpec Apply(OciSpec spec, Func<string, DeviceNode?>? lookupDevice = null) =>
        SpecPolicy.Apply(spec, Path.Combine(_options.StorageRoot, "c1", "rootfs"), false, "/sealpod/c1", lookupDevice ?? (path => DeviceNode.TryRead(path)), new ConfidentialConfinement(_options));

    private static FileCopyRequest Regular(string path, string content) => new()
    {
        Path = path,
        FileSize = content.Length,
        FileMode = LibC.S_IFREG | 0x1A4,
        Data = System.Text.Encoding.UTF8.GetBytes(content),
    };

    private static FileCopyRequest Symlink(string path, string target) => new()
    {
        Path = path,
        FileMode = LibC.S_IFLNK | 0x1FF,
        Data = System.Text.Encoding.UTF8.GetBytes(target),
    };
}
