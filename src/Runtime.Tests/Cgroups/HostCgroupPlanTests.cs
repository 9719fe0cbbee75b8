using Sealpod.Runtime.Cgroups;
using Sealpod.Runtime.Tests.Pods;

namespace Sealpod.Runtime.Tests.Cgroups;

/// <summary>Where a sandbox's VM goes in the host cgroups, read from its spec, and what is refused.</summary>
public sealed class HostCgroupPlanTests : IDisposable
{
    private readonly TempDirectory _work = new("sp-cg-");

    public void Dispose() => _work.Dispose();

    [Theory]
    [InlineData("/kubepods/besteffort/pod1/abc", "/kubepods/besteffort/pod1/abc")]
    [InlineData("/default/c1/", "/default/c1")]
    [InlineData("pods/abc", "/sealpod/pods/abc")]
    [InlineData("", "/sealpod/sbx1")]
    [InlineData(null, "/sealpod/sbx1")]
    public void The_pod_cgroup_is_the_absolute_path_or_under_sealpod(string? cgroupsPath, string expected) =>
        Assert.Equal(expected, PodCgroupPath.Resolve(cgroupsPath, "sbx1", "/b/config.json"));

    [Theory]
    [InlineData("/kubepods/../../etc", "'..'")]
    [InlineData("../escape", "'..'")]
    [InlineData("/a//b", "empty component")]
    [InlineData("/", "root")]
    public void A_path_that_could_leave_the_hierarchy_is_refused_naming_the_field_and_file(string cgroupsPath, string why)
    {
        var error = Assert.Throws<InvalidArgumentException>(() => PodCgroupPath.Resolve(cgroupsPath, "sbx1", "/b/config.json"));

        Assert.Contains("/b/config.json: linux.cgroupsPath '" + cgroupsPath + "'", error.Message, StringComparison.Ordinal);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_systemd_path_is_still_refused_by_the_pod_spec_guard_before_any_plan()
    {
        var bundle = Bundle(PodSpecs.Sandbox(cgroupsPath: "kubepods.slice:cri-containerd:abc"));

        Assert.Throws<InvalidArgumentException>(() => VmPodSpecGuard.Check(bundle, ContainerKind.PodSandbox));
    }

    [Fact]
    public void Sandbox_cgroup_only_puts_everything_in_the_pod_cgroup_and_false_adds_the_overhead_cgroup()
    {
        var bundle = Bundle(PodSpecs.Sandbox());

        var only = HostCgroupPlan.From(bundle, "pod1", Configuration(sandboxCgroupOnly: true));
        var split = HostCgroupPlan.From(bundle, "pod1", Configuration(sandboxCgroupOnly: false));

        Assert.Equal("/kubepods/besteffort/pod1/pod1", only.PodPath);
        Assert.True(only.SandboxCgroupOnly);
        Assert.Null(only.OverheadPath);
        Assert.Equal("/kubepods/besteffort/pod1/pod1", split.PodPath);
        Assert.Equal("/sealpod_overhead/pod1", split.OverheadPath);
    }

    [Fact]
    public void The_pod_resources_are_the_specs_cpuset_and_the_cri_cpu_annotations()
    {
        var sizing = $$""", "{{SandboxSizing.CpuQuotaKey}}": "250000", "{{SandboxSizing.CpuPeriodKey}}": "100000", "{{SandboxSizing.CpuSharesKey}}": "2560" """;
        var spec = PodSpecs.Sandbox(extraAnnotations: sizing).Replace(
            "\"cgroupsPath\":", "\"resources\": { \"cpu\": { \"cpus\": \"0-1\", \"mems\": \"0\" } }, \"cgroupsPath\":", StringComparison.Ordinal);

        var resources = PodCgroupResources.From(Bundle(spec));

        Assert.Equal(new PodCgroupResources("0-1", "0", 250000, 100000, 2560), resources);
        Assert.Equal(PodCgroupResources.None, PodCgroupResources.From(Bundle(PodSpecs.Sandbox())));
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(1024, 39)]
    [InlineData(262144, 10000)]
    public void Shares_become_a_v2_weight_as_runc_converts_them(long shares, long weight) =>
        Assert.Equal(weight, PodCgroupResources.SharesToWeight(shares));

    private OciBundle Bundle(string spec) => _work.LoadBundle(spec);

    private static SealpodConfiguration Configuration(bool sandboxCgroupOnly)
    {
        var shipped = new ConfigurationLoader().LoadFileAsync(Repository.ShippedConfig).GetAwaiter().GetResult();
        return shipped with { Runtime = shipped.Runtime with { SandboxCgroupOnly = sandboxCgroupOnly } };
    }
}
