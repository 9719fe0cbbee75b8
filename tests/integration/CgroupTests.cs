namespace Sealpod.IntegrationTests;

/// <summary>
/// The VM in the host's cgroups (cgroupfs driver), through containerd with the sealpod runtime: QEMU in the pod cgroup
/// named by <c>ctr run --cgroup</c> (the spec's linux.cgroupsPath), or, with <c>sandbox_cgroup_only = false</c> (the
/// shipped default), QEMU in /sealpod_overhead/&lt;id&gt; and its vCPU threads in the pod cgroup; no cgroup is left after
/// a normal delete nor after the shim is SIGKILLed and containerd cleans up.
/// </summary>
[Trait("Category", "Vm")]
[Trait("Category", "Root")]
public sealed class CgroupTests(PrivateContainerd containerd) : IClassFixture<PrivateContainerd>
{
    [Fact]
    public async Task With_sandbox_cgroup_only_qemu_is_in_the_pod_cgroup_and_a_normal_delete_removes_it()
    {
        const string Id = "cgonly";
        string pod = $"/sealpod-it-{Id}/pod";
        string config = await containerd.StageConfigAsync("configuration-cgonly.toml", "configuration-qemu-coco-dev.toml",
            text => text.Replace("sandbox_cgroup_only = false", "sandbox_cgroup_only = true", StringComparison.Ordinal));
        var run = await containerd.Run(["-d", "--null-io", "--cgroup", pod], Id, ["sleep", "1000"], configPath: config);
        Assert.True(run.ExitCode == 0, run + containerd.ContainerdLog());
        int qemu = (await containerd.TaskAsync(Id))!.Value.Pid;

        Assert.True(InCgroup(File.ReadAllText($"/proc/{qemu}/cgroup"), pod), $"QEMU {qemu} is not in {pod}:\n{File.ReadAllText($"/proc/{qemu}/cgroup")}");
        Assert.NotEmpty(CgroupDirectories($"/sealpod-it-{Id}"));

        await containerd.KillAndRemoveAsync(Id, strict: true);
        await containerd.AssertNothingLeftAsync(Id);
        Assert.Empty(CgroupDirectories($"/sealpod-it-{Id}"));
    }

    [Fact]
    public async Task Without_sandbox_cgroup_only_qemu_is_overhead_its_vcpus_are_the_pods_and_a_killed_shims_cleanup_removes_both()
    {
        const string Id = "cgover";
        string pod = $"/sealpod-it-{Id}/pod";
        string overhead = "/sealpod_overhead/" + Id;
        var run = await containerd.Run(["-d", "--null-io", "--cgroup", pod], Id, ["sleep", "1000"]);
        Assert.True(run.ExitCode == 0, run + containerd.ContainerdLog());
        int qemu = (await containerd.TaskAsync(Id))!.Value.Pid;

        Assert.True(InCgroup(File.ReadAllText($"/proc/{qemu}/cgroup"), overhead), $"QEMU {qemu} is not in {overhead}:\n{File.ReadAllText($"/proc/{qemu}/cgroup")}");
        var threadsInPod = Directory.EnumerateDirectories($"/proc/{qemu}/task").Where(t => InCgroup(File.ReadAllText(Path.Combine(t, "cgroup")), pod)).ToList();
        Assert.NotEmpty(threadsInPod);
        Assert.All(threadsInPod, t => Assert.StartsWith("CPU ", File.ReadAllText(Path.Combine(t, "comm")), StringComparison.Ordinal));

        await containerd.KillShimAsync(Id);
        await containerd.RemoveContainerAsync(Id);
        await containerd.AssertNothingLeftAsync(Id);
        Assert.Empty(CgroupDirectories($"/sealpod-it-{Id}"));
        Assert.Empty(CgroupDirectories(overhead));

        // The shared level this sandbox's cleanup leaves empty goes too (another pod of another test run may still hold it).
        Assert.All(CgroupDirectories("/sealpod_overhead"), d => Assert.True(Directory.EnumerateDirectories(d).Any(), $"{d} was left empty"));
    }

    // /proc/<pid>/cgroup: "id:controllers:path"; the cpu hierarchy (v1) or the unified one (v2 host) must be at path.
    private static bool InCgroup(string procCgroup, string path)
    {
        var lines = procCgroup.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(':', 3)).ToList();
        var cpu = lines.FirstOrDefault(f => f[1].Split(',').Contains("cpu")) ?? lines.First(f => f[1].Length == 0);
        return cpu[2] == path;
    }

    // The directories of a cgroup path in every mounted hierarchy that still exist.
    private static List<string> CgroupDirectories(string path) =>
        File.ReadLines("/proc/self/mountinfo")
            .Select(l => l.Split(' '))
            .Where(f => Array.IndexOf(f, "-") is int s && s > 0 && f[s + 1] is "cgroup" or "cgroup2")
            .Select(f => f[4] + path)
            .Where(Directory.Exists)
            .ToList();
}
