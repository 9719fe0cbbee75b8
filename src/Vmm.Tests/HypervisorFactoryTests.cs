namespace Sealpod.Vmm.Tests;

public sealed class HypervisorFactoryTests
{
    [Fact]
    public async Task A_qemu_section_gets_the_qemu_driver()
    {
        using var state = new TempDirectory();
        await using var hypervisor = HypervisorFactory.Create(TestConfigs.CocoDev, new HypervisorFactoryOptions { StateDirectory = state.Path });

        Assert.IsType<QemuHypervisor>(hypervisor);
        Assert.Equal("qemu", hypervisor.Name);
        Assert.Equal(HypervisorState.Created, hypervisor.State);
        Assert.Null(hypervisor.AgentEndpoint);
    }

    [Fact]
    public async Task A_clh_section_gets_the_cloud_hypervisor_driver()
    {
        await using var hypervisor = HypervisorFactory.Create(new CloudHypervisorConfig(), new HypervisorFactoryOptions { StateDirectory = "/tmp/unused" });

        Assert.IsType<Sealpod.Vmm.CloudHypervisor.ClhHypervisor>(hypervisor);
        Assert.Equal("clh", hypervisor.Name);
        Assert.Equal(HypervisorCapabilities.PauseResume | HypervisorCapabilities.BlockDeviceHotplug, hypervisor.Capabilities);
    }

    [Fact]
    public void Init_data_is_planned_above_the_drivers_and_a_malformed_one_fails_create_naming_the_annotation()
    {
        var config = new CloudHypervisorConfig { CcInitData = Convert.ToBase64String("not gzip"u8) };

        var error = Assert.Throws<HypervisorConfigurationException>(() => HypervisorFactory.Create(config, new HypervisorFactoryOptions { StateDirectory = "/tmp/unused" }));

        Assert.Equal(Sealpod.InitData.InitDataAnnotation.Name, error.Key);
    }

    [Fact]
    public void Each_section_has_its_driver()
    {
        Assert.IsType<QemuDriver>(HypervisorFactory.DriverFor(new QemuConfig()));
        Assert.IsType<Sealpod.Vmm.CloudHypervisor.ClhDriver>(HypervisorFactory.DriverFor(new CloudHypervisorConfig()));
    }

    [Fact]
    public async Task Orphan_cleanup_of_a_directory_that_is_not_there_finds_nothing()
    {
        using var temp = new TempDirectory();

        var cleanup = await HypervisorFactory.CleanupOrphansAsync(temp.File("never-made"));

        Assert.Null(cleanup.HypervisorPid);
        Assert.Empty(cleanup.Warnings);
        Assert.False(Directory.Exists(temp.File("never-made")));
    }

    [Fact]
    public async Task Optional_capabilities_default_to_not_supported()
    {
        IHypervisor minimal = new MinimalHypervisor();
        Assert.Equal(HypervisorCapabilities.None, minimal.Capabilities);
        await Assert.ThrowsAsync<NotSupportedException>(() => minimal.PauseAsync());
        await Assert.ThrowsAsync<NotSupportedException>(() => minimal.ResumeAsync());
        var hotplug = await Assert.ThrowsAsync<NotSupportedException>(() => minimal.HotplugBlockDeviceAsync(new BlockDevice { Id = "a", Path = "/a" }));
        Assert.Equal("minimal does not support block device hotplug", hotplug.Message);
        await Assert.ThrowsAsync<NotSupportedException>(() => minimal.UnplugBlockDeviceAsync("a"));
    }

    // Implements only the mandatory members, as a future driver might.
    private sealed class MinimalHypervisor : IHypervisor
    {
        public string Name => "minimal";

        public HypervisorState State => HypervisorState.Created;

        public int? Pid => null;

        public string? ConsoleLogPath => null;

        public string? HypervisorLogPath => null;

        public AgentEndpoint? AgentEndpoint => null;

        public Sealpod.Vmm.Acceleration.AcceleratorDecision? Accelerator => null;

        public IReadOnlyCollection<BlockDeviceAttachment> BlockDevices => [];

        public Task StartAsync(VmSpec spec, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task<VmExitInfo> StopAsync(TimeSpan gracePeriod, CancellationToken cancellationToken = default) => throw new NotImplementedException();

        public Task<VmExitInfo> WaitForExitAsync(CancellationToken cancellationToken = default) => throw new NotImplementedException();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
