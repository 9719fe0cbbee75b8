namespace Sealpod.Runtime.Tests.Pods;

/// <summary>
/// containerd's Create of a CRI pod sandbox through <see cref="SandboxHost"/>: real bundles, the shipped configuration
/// (static sizing, <c>default_vcpus</c> 1, <c>default_memory</c> 1024) and real erofs images; the VM and agent are fakes
/// (<see cref="FakeVmFactory"/>) because what is checked is what the host asks the VM for, not a guest booting.
/// </summary>
public sealed class PodSandboxCreateTests() : TempDirectoryTest("sp-pod-")
{
    [Fact]
    public async Task The_vm_of_a_sized_pod_boots_with_the_defaults_plus_the_workload()
    {
        var (host, factory) = Host();
        await using (host)
        {
            var sizing = $$"""
                ,
                    "{{SandboxSizing.CpuQuotaKey}}": "250000",
                    "{{SandboxSizing.CpuPeriodKey}}": "100000",
                    "{{SandboxSizing.CpuSharesKey}}": "2560",
                    "{{SandboxSizing.MemoryKey}}": "805306368"
                """;
            await host.CreateAsync(Request("pod1", PodSpecs.Sandbox(extraAnnotations: sizing)), new StartupTimeline(), CancellationToken.None);

            var (config, _) = Assert.Single(factory.Created);
            Assert.Equal(1f + 2.5f, config.DefaultVcpus);
            Assert.Equal(1024 + 768, config.DefaultMemoryMiB);
        }
    }

    [Fact]
    public async Task A_pod_without_sizing_annotations_boots_with_the_defaults()
    {
        var (host, factory) = Host();
        await using (host)
        {
            await host.CreateAsync(Request("pod1", PodSpecs.Sandbox()), new StartupTimeline(), CancellationToken.None);

            var (config, _) = Assert.Single(factory.Created);
            Assert.Equal((1f, 1024), (config.DefaultVcpus, config.DefaultMemoryMiB));
        }
    }

    [Fact]
    public async Task A_pod_asking_more_memory_than_the_host_has_is_refused_before_any_vm()
    {
        var (host, factory) = Host(hostMemoryMiB: 2048);
        await using (host)
        {
            var sizing = $$""", "{{SandboxSizing.MemoryKey}}": "2147483648" """;

            var error = await Assert.ThrowsAsync<InvalidArgumentException>(() =>
                host.CreateAsync(Request("pod1", PodSpecs.Sandbox(extraAnnotations: sizing)), new StartupTimeline(), CancellationToken.None));

            Assert.Contains(SandboxSizing.MemoryKey, error.Message, StringComparison.Ordinal);
            Assert.Empty(factory.Created);
            Assert.Null(host.Sandbox);
        }
    }

    [Theory]
    [InlineData("/kubepods/../../etc")]
    [InlineData("pods/./x")]
    public async Task A_cgroups_path_that_could_leave_the_hierarchy_is_refused_before_any_vm(string path)
    {
        var (host, factory) = Host();
        await using (host)
        {
            var error = await Assert.ThrowsAsync<InvalidArgumentException>(() =>
                host.CreateAsync(Request("pod1", PodSpecs.Sandbox(cgroupsPath: path)), new StartupTimeline(), CancellationToken.None));

            Assert.Contains("linux.cgroupsPath", error.Message, StringComparison.Ordinal);
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
            Assert.Empty(factory.Created);
            Assert.Null(host.Sandbox);
        }
    }

    [Fact]
    public async Task A_host_network_pod_is_refused_before_any_vm()
    {
        var (host, factory) = Host();
        await using (host)
        {
            var spec = PodSpecs.Sandbox(namespaces: [PodSpecs.PidNs, PodSpecs.IpcNs, """{ "type": "mount" }"""]);

            var error = await Assert.ThrowsAsync<InvalidArgumentException>(() =>
                host.CreateAsync(Request("pod1", spec), new StartupTimeline(), CancellationToken.None));

            Assert.Contains("hostNetwork", error.Message, StringComparison.Ordinal);
            Assert.Empty(factory.Created);
            Assert.Null(host.Sandbox);
        }
    }

    private (SandboxHost Host, FakeVmFactory Factory) Host(long hostMemoryMiB = 65536)
    {
        var vm = new FakeHypervisor { AgentEndpoint = new VirtioSerialAgentEndpoint("/vm/agent.sock", "agent.channel.0") };
        var factory = new FakeVmFactory(vm, new FakeAgent());
        var host = new SandboxHost(new SandboxHostOptions
        {
            Publisher = new RecordingPublisher(),
            LoggerFactory = NullLoggerFactory.Instance,
            Directories = new RuntimeDirectories { RunRoot = Temp.File("run"), StateRoot = Temp.File("state") },
            HostMemory = Config.HostMemory.Fixed(hostMemoryMiB),
            HostCpus = 8,
            VmFactory = factory,
            HostCgroups = false,
            PodNetwork = false,
        });
        return (host, factory);
    }

    private ContainerCreateRequest Request(string id, string spec)
    {
        var bundle = Temp.Combine("bundles", id);
        Temp.Write($"bundles/{id}/rootfs/pause", "pause");
        Temp.Write($"bundles/{id}/config.json", spec);
        return new ContainerCreateRequest(id, bundle, [], ProcessIoPaths.None, Repository.ShippedConfig);
    }
}
