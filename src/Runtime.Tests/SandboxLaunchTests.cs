using Sealpod.AgentClient.Transport;

namespace Sealpod.Runtime.Tests;

/// <summary>
/// <see cref="Sandbox.LaunchAsync"/> through its VM seam (<see cref="ISandboxVmFactory"/>): what it boots, what it sends
/// the agent, and what it undoes when a step fails. The VM and agent are fakes (see <see cref="FakeVmFactory"/>);
/// the configuration is the shipped one and the directories are real.
/// </summary>
public sealed class SandboxLaunchTests : IDisposable
{
    private const string SandboxId = "sbx-launch";

    private static readonly ErofsImage BootImage = new("/images/0123456789abcdef0123.erofs", "0123456789abcdef0123456789abcdef", Reused: false);

    private readonly TempDirectory _work = new("sp-launch-");
    private readonly FdPoller _poller = new();
    private readonly ConcurrentQueue<string> _journal = new();

    private RuntimeDirectories Directories => new() { RunRoot = _work.File("run"), StateRoot = _work.File("state") };

    private string SandboxDirectory => Directories.SandboxDirectory(SandboxId);

    public void Dispose()
    {
        _poller.Dispose();
        _work.Dispose();
    }

    [Fact]
    public async Task Boots_the_first_image_read_only_dials_the_vm_agent_and_creates_the_sandbox_with_its_modules()
    {
        var shipped = await ShippedAsync();
        var configuration = shipped with { Agent = shipped.Agent with { KernelModules = ["loop max_loop=8", "  ", "dummy"] } };
        var (factory, vm, agent) = Fakes();

        await using var sandbox = await LaunchAsync(configuration, factory);

        var (config, options) = Assert.Single(factory.Created);
        Assert.Same(configuration.Hypervisor, config);
        Assert.Equal(Directories.StateRoot, options.StateDirectory);

        Assert.NotNull(vm.Started);
        Assert.Equal(SandboxId, vm.Started.SandboxId);
        Assert.Equal(SandboxDirectory, vm.Started.RuntimeDirectory);
        Assert.Null(vm.Started.SharedDirectory);
        var disk = Assert.Single(vm.Started.BlockDevices);
        Assert.Equal(("img-0123456789abcdef", BootImage.Path, true), (disk.Id, disk.Path, disk.ReadOnly));

        var dial = Assert.Single(factory.Dialed);
        Assert.Equal(new SerialEndpoint("/vm/agent.sock"), dial.Endpoint);
        Assert.Equal(configuration.Agent.DialTimeout, dial.DialTimeout);

        var create = Assert.Single(agent.SandboxesCreated);
        Assert.Equal((SandboxId, "pod-host"), (create.SandboxId, create.Hostname));
        Assert.Empty(create.Storages);
        Assert.Equal(["loop", "dummy"], create.KernelModules.Select(m => m.Name));
        Assert.Equal(["max_loop=8"], create.KernelModules[0].Parameters);
        Assert.Empty(create.KernelModules[1].Parameters);
        Assert.Equal(SandboxId, sandbox.Id);
    }

    [Fact]
    public async Task Times_each_launch_step_in_its_own_span_so_nothing_between_vm_start_and_agent_dial_goes_unmeasured()
    {
        var (factory, _, _) = Fakes();
        var timeline = new StartupTimeline();

        await using var sandbox = await LaunchAsync(await ShippedAsync(), factory, timeline: timeline);

        // bench/BootBench adds these up as QEMU start to agent ready; '*' marks waiting on the VM or the guest.
        var line = timeline.Format();
        var spans = line[(line.IndexOf('[', StringComparison.Ordinal) + 1)..^1].Split(' ').Select(s => s[..s.IndexOf('=', StringComparison.Ordinal)] + (s.EndsWith('*') ? "*" : ""));
        Assert.Equal(["vm-start*", "host-cgroups", "agent-dial*", "create-sandbox*"], spans);
    }

    // VirtioFsShare bind-mounts its directories: root only.
    [Fact]
    [Trait(TestCategories.Name, TestCategories.Root)]
    public async Task With_virtio_fs_the_share_is_handed_to_the_vm_and_mounted_by_the_guest()
    {
        var (factory, vm, agent) = Fakes();

        await using var sandbox = await LaunchAsync(await VirtioFsAsync(), factory);

        Assert.Equal(Path.Combine(SandboxDirectory, "fs", "shared"), vm.Started!.SharedDirectory);
        Assert.True(Directory.Exists(vm.Started.SharedDirectory));
        var storage = Assert.Single(Assert.Single(agent.SandboxesCreated).Storages);
        var expected = VirtioFsShare.GuestStorage();
        Assert.Equal((expected.Driver, expected.Source, expected.FsType, expected.MountPoint), (storage.Driver, storage.Source, storage.FsType, storage.MountPoint));
    }

    [Fact]
    public async Task A_guest_refusing_the_sandbox_disconnects_stops_the_vm_and_removes_its_directory()
    {
        var refused = new IOException("guest says no");
        var (factory, _, _) = Fakes(agentFailure: refused);

        var error = await Assert.ThrowsAsync<IOException>(async () => await LaunchAsync(await ShippedAsync(), factory));

        Assert.Same(refused, error);
        Assert.Equal(["vm Start", $"agent CreateSandbox {SandboxId}", "agent Dispose", "vm Dispose"], _journal);
        Assert.False(Directory.Exists(SandboxDirectory), "the sandbox directory is left behind");
    }

    [Fact]
    [Trait(TestCategories.Name, TestCategories.Root)]
    public async Task A_failed_launch_with_virtio_fs_unmounts_and_removes_the_share()
    {
        var (factory, vm, _) = Fakes(agentFailure: new IOException("guest says no"));

        await Assert.ThrowsAsync<IOException>(async () => await LaunchAsync(await VirtioFsAsync(), factory));

        Assert.NotNull(vm.Started!.SharedDirectory);
        Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), line => line.Contains(SandboxDirectory, StringComparison.Ordinal));
        Assert.False(Directory.Exists(SandboxDirectory), "the sandbox directory (with the virtio-fs share) is left behind");
    }

    [Fact]
    public async Task An_agent_that_never_answers_stops_the_vm_and_removes_its_directory()
    {
        var (factory, _, agent) = Fakes(dialFailure: new TimeoutException("no agent within 45 s"));

        await Assert.ThrowsAsync<TimeoutException>(async () => await LaunchAsync(await ShippedAsync(), factory));

        Assert.Equal(["vm Start", "vm Dispose"], _journal);
        Assert.Empty(agent.SandboxesCreated);
        Assert.False(Directory.Exists(SandboxDirectory));
    }

    [Fact]
    public async Task A_vm_that_does_not_start_is_disposed_and_no_agent_is_dialled()
    {
        var (factory, _, _) = Fakes(startFailure: new InvalidOperationException("QEMU exited during start-up"));

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await LaunchAsync(await ShippedAsync(), factory));

        Assert.Equal(["vm Start", "vm Dispose"], _journal);
        Assert.Empty(factory.Dialed);
        Assert.False(Directory.Exists(SandboxDirectory));
    }

    [Fact]
    public async Task Disposing_a_launched_sandbox_stops_the_vm_before_disconnecting_and_then_removes_its_directory()
    {
        var (factory, _, _) = Fakes();
        var sandbox = await LaunchAsync(await ShippedAsync(), factory);
        Assert.True(Directory.Exists(SandboxDirectory));

        await sandbox.DisposeAsync();

        Assert.Equal(["vm Start", $"agent CreateSandbox {SandboxId}", "vm Stop", "agent Dispose", "vm Dispose"], _journal);
        Assert.False(Directory.Exists(SandboxDirectory));
    }

    // A pod namespace as CNI leaves it (veth eth0 with a route and a static neighbour): root only.
    [Fact]
    [Trait(TestCategories.Name, TestCategories.Root)]
    public async Task With_a_pod_namespace_the_vm_gets_a_tap_nic_the_agent_the_network_before_create_sandbox_and_teardown_removes_it()
    {
        using var namespaces = new VethNamespaces(n =>
        {
            n.Pod.IpIn("addr", "add", "10.79.0.2/24", "dev", "eth0");
            n.Pod.IpIn("route", "add", "default", "via", "10.79.0.1", "dev", "eth0");
            n.Pod.IpIn("neigh", "add", "10.79.0.1", "lladdr", "02:42:ac:11:00:01", "dev", "eth0", "nud", "permanent");
        });
        var (factory, vm, agent) = Fakes();

        var sandbox = await LaunchAsync(await ShippedAsync(), factory, namespaces.Pod.Path, ["nameserver 10.96.0.10"]);

        var nic = Assert.Single(vm.Started!.NetworkInterfaces);
        Assert.Equal(("net0", "tap0_kata", VethNamespaces.PodMac, 1450), (nic.Id, nic.TapName, nic.MacText, nic.Mtu));
        Assert.Equal(["vm Start", "agent UpdateInterface eth0", "agent UpdateRoutes 1", "agent AddARPNeighbors 1", $"agent CreateSandbox {SandboxId}"], _journal);
        Assert.Equal(["nameserver 10.96.0.10"], Assert.Single(agent.SandboxesCreated).Dns);
        // The fake VM holds no copy of the tap's descriptor (QEMU would), so the tap went when the launch closed its own;
        // the ingress qdisc and filter on the pod's side stay until teardown.
        Assert.Contains("ingress", namespaces.Pod.Tc("qdisc", "show", "dev", "eth0"));
        Assert.Contains("mirred", namespaces.Pod.Tc("filter", "show", "dev", "eth0", "ingress"));
        Assert.True(File.Exists(Path.Combine(SandboxDirectory, "network")));

        await sandbox.DisposeAsync();

        Assert.DoesNotContain("tap0_kata", namespaces.Pod.IpIn("-o", "link", "show"));
        Assert.DoesNotContain("ingress", namespaces.Pod.Tc("qdisc", "show", "dev", "eth0"));
        Assert.False(Directory.Exists(SandboxDirectory));
    }

    [Fact]
    [Trait(TestCategories.Name, TestCategories.Root)]
    public async Task A_failed_launch_removes_the_pod_network_it_wired()
    {
        using var namespaces = new VethNamespaces(n => n.Pod.IpIn("addr", "add", "10.79.0.2/24", "dev", "eth0"));
        var (factory, _, _) = Fakes(agentFailure: new IOException("guest says no"));

        await Assert.ThrowsAsync<IOException>(async () => await LaunchAsync(await ShippedAsync(), factory, namespaces.Pod.Path));

        Assert.DoesNotContain("tap0_kata", namespaces.Pod.IpIn("-o", "link", "show"));
        Assert.DoesNotContain("ingress", namespaces.Pod.Tc("qdisc", "show", "dev", "eth0"));
        Assert.False(Directory.Exists(SandboxDirectory));
    }

    private static async Task<SealpodConfiguration> ShippedAsync() => await new ConfigurationLoader().LoadFileAsync(Repository.ShippedConfig);

    // virtio-fs applies to a QEMU guest that is not confidential (SandboxSettings.UsesVirtioFs).
    private static async Task<SealpodConfiguration> VirtioFsAsync()
    {
        var shipped = await ShippedAsync();
        var qemu = (QemuConfig)shipped.Hypervisor;
        return shipped with { Hypervisor = qemu with { SharedFs = SharedFs.VirtioFs, ConfidentialGuest = false } };
    }

    private (FakeVmFactory Factory, FakeHypervisor Vm, FakeAgent Agent) Fakes(
        Exception? startFailure = null, Exception? dialFailure = null, Exception? agentFailure = null)
    {
        var vm = new FakeHypervisor { Journal = _journal, StartFailure = startFailure, AgentEndpoint = new VirtioSerialAgentEndpoint("/vm/agent.sock", "agent.channel.0") };
        var agent = new FakeAgent { Journal = _journal, CreateSandboxFailure = agentFailure };
        return (new FakeVmFactory(vm, agent) { DialFailure = dialFailure }, vm, agent);
    }

    private Task<Sandbox> LaunchAsync(
        SealpodConfiguration configuration, FakeVmFactory factory, string? networkNamespace = null, IReadOnlyList<string>? dns = null, StartupTimeline? timeline = null) =>
        Sandbox.LaunchAsync(
            new SandboxLaunchRequest
            {
                SandboxId = SandboxId,
                Configuration = configuration,
                Directories = Directories,
                BootImage = BootImage,
                Hostname = "pod-host",
                NetworkNamespacePath = networkNamespace,
                Dns = dns ?? [],
                Events = new EventQueue(new RecordingPublisher(), NullLogger.Instance),
                Poller = _poller,
                LoggerFactory = NullLoggerFactory.Instance,
                VmFactory = factory,
                Timeline = timeline ?? new StartupTimeline(),
            },
            CancellationToken.None);
}
