using Sealpod.CriHarness.V1;

namespace Sealpod.IntegrationTests;

/// <summary>
/// Pods through containerd's CRI, as a kubelet runs them, with the runc handler (the reference) and the sealpod
/// handler: a fresh CRI-enabled containerd per test, run inside a network namespace of the test's own with Debian's
/// CNI plugins, so every pod address, the bridge and portmap's rules live there and no packet leaves it. Every test
/// ends by stopping and removing its pods twice (both idempotent) and finding nothing left: no pod network
/// namespace, shim, QEMU, mount, shim socket, veth or tap; then containerd, the namespace and the directory go.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Root)]
public sealed class CriTests : IAsyncLifetime
{
    private CriContainerd? _containerd;
    private readonly List<string> _sandboxes = [];

    private CriContainerd Containerd => _containerd ?? throw new InvalidOperationException("containerd did not start");

    private PodRunner Pods => new(Containerd);

    public async Task InitializeAsync()
    {
        var paths = CriHarnessPaths.FromSourceTree(AppContext.BaseDirectory) with { ShimBinary = ShimUnderTest.Binary, GuestDirectory = Repository.GuestDirectory };
        _containerd = await CriContainerd.StartAsync(paths);
    }

    public async Task DisposeAsync()
    {
        if (_containerd is not null)
        {
            string network = _containerd.Network.Path;
            await _containerd.DisposeAsync();
            Assert.False(File.Exists(network), $"{network} survived");
        }
    }

    [Theory]
    [InlineData(CriHandlers.Runc)]
    [InlineData(CriHandlers.Sealpod)]
    public async Task An_http_get_to_the_pod_ip_returns_the_page_the_container_wrote(string handler)
    {
        var pod = await RunAsync("web", handler);

        var (body, _) = await Pods.GetAsync(pod.PodIp, PodConfigs.HttpPort, TimeSpan.FromSeconds(60));

        Assert.Equal(pod.Page, body.TrimEnd('\n'));
        Assert.StartsWith("10.88.0.", pod.PodIp, StringComparison.Ordinal);
        await FinishAsync();
    }

    [Theory]
    [InlineData(CriHandlers.Runc)]
    [InlineData(CriHandlers.Sealpod)]
    public async Task Two_pods_reach_each_other(string handler)
    {
        var first = await RunAsync("first", handler);
        var second = await RunAsync("second", handler);
        await Pods.GetAsync(second.PodIp, PodConfigs.HttpPort, TimeSpan.FromSeconds(60));

        // busybox nc, not wget: this busybox's wget crashes (SIGSEGV) instead of reporting a refused connection.
        var there = await Pods.ExecAsync(first.ContainerId, ["sh", "-c", $"printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 10 {second.PodIp} 80"]);
        var back = await Pods.ExecAsync(second.ContainerId, ["sh", "-c", $"printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 10 {first.PodIp} 80"]);

        Assert.True(there.ExitCode == 0 && there.Stdout.StartsWith("HTTP/1.1 200", StringComparison.Ordinal), $"{first.PodIp} -> {second.PodIp}: exit {there.ExitCode}, {there.Stdout}{there.Stderr}");
        Assert.EndsWith("\r\n\r\n" + second.Page + "\n", there.Stdout, StringComparison.Ordinal);
        Assert.True(back.ExitCode == 0 && back.Stdout.StartsWith("HTTP/1.1 200", StringComparison.Ordinal), $"{second.PodIp} -> {first.PodIp}: exit {back.ExitCode}, {back.Stdout}{back.Stderr}");
        Assert.EndsWith("\r\n\r\n" + first.Page + "\n", back.Stdout, StringComparison.Ordinal);
        await FinishAsync();
    }

    [Theory]
    [InlineData(CriHandlers.Runc)]
    [InlineData(CriHandlers.Sealpod)]
    public async Task A_hostPort_mapping_reaches_the_pod(string handler)
    {
        const int hostPort = 8080;
        var pod = await RunAsync("mapped", handler, p => p.WithHostPort(hostPort));

        // The namespace's host side: the bridge's own address, where portmap's DNAT (OUTPUT, dst-type LOCAL) applies.
        var (body, _) = await Pods.GetAsync(CniNetworkConfig.Gateway, hostPort, TimeSpan.FromSeconds(60));

        Assert.Equal(pod.Page, body.TrimEnd('\n'));
        await FinishAsync();
        var rules = await Containerd.Network.ExecAsync(["iptables", "-t", "nat", "-S"]);
        Assert.DoesNotContain($"--dport {hostPort}", rules.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CriHandlers.Runc)]
    [InlineData(CriHandlers.Sealpod)]
    public async Task An_http_get_through_port_forward_returns_the_containers_page(string handler)
    {
        var pod = await RunAsync("forwarded", handler);
        await Pods.GetAsync(pod.PodIp, PodConfigs.HttpPort, TimeSpan.FromSeconds(60));

        // kubectl port-forward's path: CRI PortForward, containerd's streaming server, containerd dialling localhost:80
        // inside the pod's network namespace (with sealpod: the shim's relay there carries it to the guest).
        var response = await PortForwardClient.ExchangeAsync(Containerd, pod.SandboxId, PodConfigs.HttpPort, "GET / HTTP/1.0\r\n\r\n", TimeSpan.FromSeconds(60));

        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n" + pod.Page + "\n", response, StringComparison.Ordinal);
        await FinishAsync();
    }

    [Theory]
    [InlineData(CriHandlers.Runc)]
    [InlineData(CriHandlers.Sealpod)]
    public async Task A_localhost_seccomp_profile_is_enforced_in_the_container(string handler)
    {
        // The guest enforces linux.seccomp only with disable_guest_seccomp = false (Kata's default, and the shipped
        // value, is true): set here in the configuration the sealpod handler reads at each sandbox start.
        string config = await File.ReadAllTextAsync(Containerd.SealpodConfigPath);
        Assert.Contains("disable_guest_seccomp = true", config, StringComparison.Ordinal);
        await File.WriteAllTextAsync(Containerd.SealpodConfigPath, config.Replace("disable_guest_seccomp = true", "disable_guest_seccomp = false", StringComparison.Ordinal));
        string profile = Path.Combine(Containerd.Root, "no-chmod.json");
        await File.WriteAllTextAsync(profile, """
            {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"],
             "syscalls": [{"names": ["chmod", "fchmod", "fchmodat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}
            """);
        var pod = await RunAsync("seccomp", handler, shapeContainer: c => c.WithLocalhostSeccomp(profile));

        var denied = await Pods.ExecAsync(pod.ContainerId, ["chmod", "600", "/www/index.html"]);
        var allowed = await Pods.ExecAsync(pod.ContainerId, ["cat", "/www/index.html"]);

        Assert.True(denied.ExitCode != 0, $"chmod passed under the profile: {denied}");
        Assert.Contains("Operation not permitted", denied.Stderr, StringComparison.Ordinal);
        Assert.Equal((pod.Page + "\n", 0), (allowed.Stdout, allowed.ExitCode));
        await FinishAsync();
    }

    [Theory]
    [InlineData(CriHandlers.Runc)]
    [InlineData(CriHandlers.Sealpod)]
    public async Task ExecSync_returns_stdout_stderr_and_the_exit_code(string handler)
    {
        var pod = await RunAsync("exec", handler);

        var (stdout, stderr, exit) = await Pods.ExecAsync(pod.ContainerId, ["sh", "-c", "echo out-line; echo err-line >&2; exit 7"]);
        var ok = await Pods.ExecAsync(pod.ContainerId, ["cat", "/www/index.html"]);

        Assert.Equal("out-line\n", stdout);
        Assert.Equal("err-line\n", stderr);
        Assert.Equal(7, exit);
        Assert.Equal((pod.Page + "\n", string.Empty, 0), ok);
        await FinishAsync();
    }

    [Theory]
    [InlineData(CriHandlers.Runc)]
    [InlineData(CriHandlers.Sealpod)]
    public async Task Container_logs_land_in_the_cri_log_path(string handler)
    {
        var pod = await RunAsync("logs", handler);

        var status = await Containerd.Runtime.ContainerStatusAsync(new ContainerStatusRequest { ContainerId = pod.ContainerId }, CriContainerd.Deadline(TimeSpan.FromSeconds(30)));
        Assert.Equal(pod.ContainerLogPath, status.Status.LogPath);
        var lines = await WaitForAsync(() => File.Exists(pod.ContainerLogPath) ? PodRunner.ReadCriLog(pod.ContainerLogPath) : [], l => l.Count >= 2, "two log lines in " + pod.ContainerLogPath);

        Assert.Contains(("stdout", "httpd starting on logs"), lines);
        Assert.Contains(("stderr", "httpd stderr line"), lines);
        await FinishAsync();
    }

    [Theory]
    [InlineData(CriHandlers.Runc)]
    [InlineData(CriHandlers.Sealpod)]
    public async Task ContainerStats_and_PodSandboxStats_answer(string handler)
    {
        var pod = await RunAsync("stats", handler);

        var container = await Containerd.Runtime.ContainerStatsAsync(new ContainerStatsRequest { ContainerId = pod.ContainerId }, CriContainerd.Deadline(TimeSpan.FromSeconds(60)));
        var sandbox = await Containerd.Runtime.PodSandboxStatsAsync(new PodSandboxStatsRequest { PodSandboxId = pod.SandboxId }, CriContainerd.Deadline(TimeSpan.FromSeconds(60)));

        Assert.Equal(pod.ContainerId, container.Stats.Attributes.Id);
        Assert.True(container.Stats.Memory?.WorkingSetBytes?.Value > 0, $"container working set: {container.Stats}");
        Assert.True(container.Stats.Cpu?.UsageCoreNanoSeconds?.Value > 0, $"container CPU: {container.Stats}");
        Assert.Equal(pod.SandboxId, sandbox.Stats.Attributes.Id);
        Assert.NotNull(sandbox.Stats.Linux?.Memory);
        if (handler == CriHandlers.Runc)
        {
            // containerd reads the pod-level figures from the pod's host cgroup. With the shipped sandbox_cgroup_only =
            // false (Kata's default) only QEMU's vCPU threads are there and QEMU's memory is charged to the overhead
            // cgroup, as with Kata's /kata_overhead; the container's own figures above come from the guest.
            Assert.True(sandbox.Stats.Linux.Memory.WorkingSetBytes?.Value > 0, $"pod memory: {sandbox.Stats}");
        }

        Assert.Contains(sandbox.Stats.Linux!.Containers, c => c.Attributes.Id == pod.ContainerId);
        await FinishAsync();
    }

    [Theory]
    [InlineData(CriHandlers.Runc)]
    [InlineData(CriHandlers.Sealpod)]
    public async Task The_containers_resolv_conf_and_hostname_match_the_pod_config(string handler)
    {
        var pod = await RunAsync("named-pod", handler);

        var resolv = await Pods.ExecAsync(pod.ContainerId, ["cat", "/etc/resolv.conf"]);
        var hostname = await Pods.ExecAsync(pod.ContainerId, ["hostname"]);
        var etcHostname = await Pods.ExecAsync(pod.ContainerId, ["cat", "/etc/hostname"]);

        var lines = resolv.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains("nameserver " + PodConfigs.Dns.Servers[0], lines);
        Assert.Contains("search " + string.Join(' ', PodConfigs.Dns.Searches), lines);
        Assert.Contains("options " + string.Join(' ', PodConfigs.Dns.Options), lines);
        Assert.Equal("named-pod", hostname.Stdout.Trim());
        Assert.Equal("named-pod", etcHostname.Stdout.Trim());
        await FinishAsync();
    }

    [Fact]
    [Trait(TestCategories.Name, TestCategories.Vm)]
    public async Task The_sizing_annotations_give_the_guest_the_expected_vcpus_and_memory()
    {
        // One vCPU (quota/period) and 256 MiB on top of the development configuration's default_vcpus = 1 and
        // default_memory = 1024 (static_sandbox_resource_mgmt): 2 vCPUs, 1280 MiB, of which the guest kernel keeps some.
        var pod = await RunAsync("sized", CriHandlers.Sealpod, p => p.WithResources(cpuQuota: 100_000, cpuPeriod: 100_000, memoryBytes: 256L << 20));

        var cpus = await Pods.ExecAsync(pod.ContainerId, ["grep", "-c", "^processor", "/proc/cpuinfo"]);
        var memInfo = await Pods.ExecAsync(pod.ContainerId, ["grep", "^MemTotal:", "/proc/meminfo"]);

        Assert.Equal("2", cpus.Stdout.Trim());
        long memTotalKiB = long.Parse(memInfo.Stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        Assert.InRange(memTotalKiB, (1024 + 128) * 1024L, 1280 * 1024L);

        // The VM is accounted to the pod: with the shipped sandbox_cgroup_only = false (Kata's default), QEMU's vCPU
        // threads are in the pod's cgroup (containerd's <cgroup_parent>/<sandbox id>) and QEMU itself in the overhead
        // cgroup, as Kata's /kata_overhead.
        var threads = QemuThreadCgroups(pod.SandboxId);
        Assert.Contains(threads, c => c.EndsWith("/" + pod.SandboxId, StringComparison.Ordinal));
        Assert.Contains(threads, c => c.StartsWith("/sealpod_overhead/", StringComparison.Ordinal));
        await FinishAsync();
    }

    /// <summary>The cpu-controller cgroup (v1) or the unified one (v2) of every thread of the sandbox's QEMU.</summary>
    private static List<string> QemuThreadCgroups(string sandboxId)
    {
        var qemu = Directory.GetDirectories("/proc")
            .Where(d => int.TryParse(Path.GetFileName(d), out _))
            .Select(d => (Dir: d, Args: TryRead(Path.Combine(d, "cmdline")).Split('\0')))
            .Single(p => p.Args.Length > 0 && p.Args[0].Contains("qemu-system", StringComparison.Ordinal) && p.Args.Any(a => a.Contains("sandbox-" + sandboxId, StringComparison.Ordinal)));
        return Directory.GetDirectories(Path.Combine(qemu.Dir, "task"))
            .Select(t => TryRead(Path.Combine(t, "cgroup")).Split('\n')
                .Select(l => l.Split(':', 3))
                .Where(f => f.Length == 3 && (f[1].Split(',').Contains("cpu") || (f[0] == "0" && f[1].Length == 0)))
                .Select(f => f[2])
                .FirstOrDefault() ?? string.Empty)
            .ToList();
    }

    private static string TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return string.Empty; // a process or thread that ended meanwhile
        }
        catch (UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    [Theory]
    [InlineData(CriHandlers.Runc)]
    [InlineData(CriHandlers.Sealpod)]
    public async Task StopPodSandbox_and_RemovePodSandbox_twice_each_leave_nothing(string handler)
    {
        var pod = await RunAsync("removed", handler);

        await Pods.RemoveAsync(pod.SandboxId, times: 2);

        var list = await Containerd.Runtime.ListPodSandboxAsync(new ListPodSandboxRequest(), CriContainerd.Deadline(TimeSpan.FromSeconds(30)));
        Assert.Empty(list.Items);
        var containers = await Containerd.Runtime.ListContainersAsync(new ListContainersRequest(), CriContainerd.Deadline(TimeSpan.FromSeconds(30)));
        Assert.Empty(containers.Containers);
        await Containerd.AssertNothingLeftAsync([pod.SandboxId]);
    }

    private async Task<RunningPod> RunAsync(string name, string handler, Func<PodSandboxConfig, PodSandboxConfig>? shape = null, Func<ContainerConfig, ContainerConfig>? shapeContainer = null)
    {
        var pod = await Pods.RunHttpPodAsync(name, handler, shape, shapeContainer: shapeContainer);
        _sandboxes.Add(pod.SandboxId);
        if (handler == CriHandlers.Sealpod)
        {
            // The pod really is in a VM: its kernel is the guest's, not the host's.
            var release = await Pods.ExecAsync(pod.ContainerId, ["uname", "-r"]);
            Assert.NotEqual(Environment.OSVersion.Version.ToString(), release.Stdout.Trim());
            Assert.NotEqual((await Tool.RunAsync("uname", ["-r"])).Stdout.Trim(), release.Stdout.Trim());
        }

        return pod;
    }

    /// <summary>Every pod of the test stopped and removed twice (idempotent), then nothing of them left on the host.</summary>
    private async Task FinishAsync()
    {
        foreach (var id in _sandboxes)
        {
            await Pods.RemoveAsync(id, times: 2);
        }

        await Containerd.AssertNothingLeftAsync(_sandboxes);
    }

    private static async Task<T> WaitForAsync<T>(Func<T> read, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        T value = read();
        while (!done(value))
        {
            Assert.True(DateTime.UtcNow < deadline, $"no {what} within 30 s; last: {value}");
            await Task.Delay(100);
            value = read();
        }

        return value;
    }
}
