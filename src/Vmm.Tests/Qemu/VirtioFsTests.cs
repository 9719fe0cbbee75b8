namespace Sealpod.Vmm.Tests.Qemu;

/// <summary>
/// shared_fs = "virtio-fs": the shared-memory and vhost-user-fs parts of the argv, virtiofsd's own argv, and the real
/// virtiofsd (/usr/lib/qemu/virtiofsd) started, connected to by a real QEMU and reaped with it.
/// </summary>
public sealed class VirtioFsTests
{
    private const string Virtiofsd = "/usr/lib/qemu/virtiofsd";

    public static TheoryData<IQemuArgs, string[]> Parts => new()
    {
        { new MemoryBackendFile("dimm1", 2048, "/dev/shm"), ["-object", "memory-backend-file,id=dimm1,size=2048M,mem-path=/dev/shm,share=on"] },
        { new MemoryBackendFile("m", 64, "/srv/a,b") { Share = false }, ["-object", "memory-backend-file,id=m,size=64M,mem-path=/srv/a,,b,share=off"] },
        { new NumaNode("dimm1"), ["-numa", "node,memdev=dimm1"] },
        { new VhostUserFsPci("vhost-fs", "char-vhost-fs", "kataShared"), ["-device", "vhost-user-fs-pci,id=vhost-fs,chardev=char-vhost-fs,tag=kataShared,queue-size=1024"] },
        { new VhostUserFsPci("fs", "c", "t") { QueueSize = 512, CacheSizeMiB = 1024 }, ["-device", "vhost-user-fs-pci,id=fs,chardev=c,tag=t,queue-size=512,cache-size=1024M"] },
    };

    [Theory]
    [MemberData(nameof(Parts))]
    public void Renders_each_part(IQemuArgs part, string[] expected) => Assert.Equal(expected, part.Render());

    [Fact]
    public void A_shared_directory_adds_shared_memory_and_the_vhost_user_fs_device()
    {
        var config = TestConfigs.CocoDev with
        {
            SharedFs = SharedFs.VirtioFs,
            VirtioFsDaemon = Virtiofsd,
            VirtioFsQueueSize = 1024,
        };
        var request = TestConfigs.Request("vfs-1", config, TestConfigs.Spec("vfs-1") with { SharedDirectory = "/run/sealpod/sandboxes/vfs-1/shared" });

        Golden.AssertArgs("qemu-tcg-virtio-fs.args", QemuCommandLineFactory.Create(request).Build());
    }

    [Fact]
    public void Without_a_shared_directory_nothing_changes_even_when_the_config_says_virtio_fs()
    {
        QemuLaunchRequest Request(SharedFs sharedFs) => TestConfigs.Request("vfs-2", TestConfigs.CocoDev with { SharedFs = sharedFs, VirtioFsDaemon = Virtiofsd });

        var none = QemuCommandLineFactory.Create(Request(SharedFs.None)).Build();
        Assert.Equal(none, QemuCommandLineFactory.Create(Request(SharedFs.VirtioFs)).Build());
        Assert.DoesNotContain(none, a => a.Contains("vhost-user-fs", StringComparison.Ordinal) || a.Contains("memory-backend", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(SharedFs.None)]
    [InlineData(SharedFs.Virtio9p)]
    public void A_shared_directory_without_virtio_fs_names_shared_fs(SharedFs sharedFs)
    {
        var request = TestConfigs.Request("vfs-3", TestConfigs.CocoDev with { SharedFs = sharedFs }, TestConfigs.Spec("vfs-3") with { SharedDirectory = "/srv/shared" });

        var error = Assert.Throws<HypervisorConfigurationException>(() => QemuCommandLineFactory.Create(request));
        Assert.Contains("hypervisor.qemu.shared_fs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dax_window_is_refused_naming_virtio_fs_cache_size()
    {
        var request = TestConfigs.Request("vfs-4", TestConfigs.CocoDev with { SharedFs = SharedFs.VirtioFs, VirtioFsCacheSizeMiB = 1024 }, TestConfigs.Spec("vfs-4") with { SharedDirectory = "/srv/shared" });

        var error = Assert.Throws<HypervisorConfigurationException>(() => QemuCommandLineFactory.Create(request));
        Assert.Contains("hypervisor.qemu.virtio_fs_cache_size: is 1024 MiB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_relative_shared_directory_is_refused()
    {
        var spec = new VmSpec { SandboxId = "vfs-4", RuntimeDirectory = "/run/x", SharedDirectory = "shared" };
        Assert.Equal("SharedDirectory", Assert.Throws<ArgumentException>(spec.Validate).ParamName);
    }

    [Theory]
    [InlineData(VirtioFsCacheMode.Never, "none")]
    [InlineData(VirtioFsCacheMode.Auto, "auto")]
    [InlineData(VirtioFsCacheMode.Always, "always")]
    public void Virtiofsd_gets_its_socket_the_directory_the_cache_mode_and_then_the_extra_args(VirtioFsCacheMode cache, string rendered)
    {
        var config = TestConfigs.CocoDev with { VirtioFsCache = cache, VirtioFsExtraArgs = ["--thread-pool-size=1", "-o", "announce_submounts"] };
        var argv = VirtiofsdCommandLine.For(config, "/vm/vhost-fs.sock", "/sb/shared").Build();
        Assert.Equal(["--socket-path=/vm/vhost-fs.sock", "-o", "source=/sb/shared", "-o", "cache=" + rendered, "--thread-pool-size=1", "-o", "announce_submounts"], argv);
    }

    [Fact]
    public void Virtiofsd_refuses_what_it_cannot_express()
    {
        var metadata = new VirtiofsdCommandLine("/s", "/d") { Cache = VirtioFsCacheMode.Metadata };
        Assert.Contains("virtio_fs_cache", Assert.Throws<HypervisorConfigurationException>(metadata.Build).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(new VirtiofsdCommandLine("/s", "/d,cache=always").Build);
    }

    [Fact]
    [Trait(TestCategories.Name, TestCategories.Vm)]
    public async Task A_real_virtiofsd_serves_the_vm_and_goes_with_it()
    {
        using var shared = new TempDirectory();
        var vm = new StubVm(c => c with { SharedFs = SharedFs.VirtioFs, VirtioFsDaemon = Virtiofsd, VirtioFsCache = VirtioFsCacheMode.Auto });
        IReadOnlyList<int> virtiofsd;
        try
        {
            await vm.StartAsync(s => s with { SharedDirectory = shared.Path });
            await vm.WaitForConsoleAsync();

            var socket = Path.Combine(vm.RuntimeDirectory, "vhost-fs.sock");
            // C virtiofsd forks into its own pid namespace: the parent (ours) and its sandboxed child.
            virtiofsd = HostProcesses.FindByCommandLine("--socket-path=" + socket);
            Assert.NotEmpty(virtiofsd);

            // QEMU built the vhost-user-fs device, which needs virtiofsd on the other end of the socket.
            var pci = await vm.Hypervisor.Qmp.ExecuteAsync("query-pci");
            Assert.Contains("\"qdev_id\":\"vhost-fs\"", pci.GetRawText().Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.Contains(vm.Logger.Lines, l => virtiofsd.Any(pid => l.Contains($"virtiofsd pid {pid} serves {shared.Path}", StringComparison.Ordinal)));
        }
        finally
        {
            await vm.DisposeAsync();
        }

        Assert.DoesNotContain(virtiofsd, HostProcesses.Exists);
        Assert.Empty(HostProcesses.FindByCommandLine("source=" + shared.Path));
        Assert.Empty(Directory.Exists("/run/virtiofsd") ? Directory.EnumerateFiles("/run/virtiofsd", "*" + vm.SandboxId + "*") : []);
    }

    [Fact]
    [Trait(TestCategories.Name, TestCategories.Vm)]
    public async Task A_lost_vm_and_its_virtiofsd_are_killed_by_the_drivers_orphan_cleanup()
    {
        // Nothing stops this VM: its owner "is lost". The cleanup delete reaches through the factory finds QEMU by the pid
        // file QEMU writes (-pidfile) and virtiofsd by the one the driver records, and removes the VM's files.
        using var shared = new TempDirectory();
        await using var vm = new StubVm(c => c with { SharedFs = SharedFs.VirtioFs, VirtioFsDaemon = Virtiofsd, VirtioFsCache = VirtioFsCacheMode.Auto });
        await vm.StartAsync(s => s with { SharedDirectory = shared.Path });
        var qemu = vm.Hypervisor.Pid!.Value;
        var virtiofsd = int.Parse(await File.ReadAllTextAsync(Path.Combine(vm.RuntimeDirectory, "virtiofsd.pid")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(virtiofsd, HostProcesses.FindByCommandLine("--socket-path=" + Path.Combine(vm.RuntimeDirectory, "vhost-fs.sock")));

        var cleanup = await HypervisorFactory.CleanupOrphansAsync(vm.RuntimeDirectory);

        Assert.Equal(qemu, cleanup.HypervisorPid);
        Assert.Empty(cleanup.Warnings);
        var exit = await vm.Hypervisor.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(128 + 9, exit.ExitCode);
        Assert.False(HostProcesses.Exists(qemu));
        Assert.False(HostProcesses.Exists(virtiofsd));
        Assert.False(Directory.Exists(vm.RuntimeDirectory));
    }

    [Fact]
    [Trait(TestCategories.Name, TestCategories.Vm)]
    public async Task A_virtiofsd_that_cannot_start_fails_the_start_and_leaves_nothing()
    {
        using var scratch = new TempDirectory();
        var vm = new StubVm(c => c with { SharedFs = SharedFs.VirtioFs, VirtioFsDaemon = Virtiofsd, VirtioFsExtraArgs = ["--no-such-option"] });
        try
        {
            var error = await Assert.ThrowsAsync<HypervisorStartException>(() => vm.StartAsync(s => s with { SharedDirectory = scratch.Path }));
            Assert.Contains("virtiofsd exited during start-up", error.Message, StringComparison.Ordinal);
            Assert.Equal(HypervisorState.Failed, vm.Hypervisor.State);
            Assert.Empty(HostProcesses.FindByCommandLine(vm.QemuName));
        }
        finally
        {
            await vm.DisposeAsync();
        }

        Assert.Empty(HostProcesses.FindByCommandLine("source=" + scratch.Path));
    }
}
