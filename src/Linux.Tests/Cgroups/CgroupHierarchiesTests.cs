namespace Sealpod.Linux.Tests.Cgroups;

/// <summary>Which cgroup interface a host has, from mountinfo fixtures of a v1, a v2 and a hybrid (this machine's) host.</summary>
public sealed class CgroupHierarchiesTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Cgroups", "Fixtures", name);

    [Fact]
    public void A_v1_host_has_one_hierarchy_per_mount_with_its_controllers_and_named_hierarchies()
    {
        var cgroups = CgroupHierarchies.Detect(Fixture("mountinfo-v1"));

        Assert.Equal(CgroupVersion.V1, cgroups.Version);
        Assert.Equal(7, cgroups.Hierarchies.Count);
        var cpu = Assert.Single(cgroups.With("cpu"));
        Assert.Equal("/sys/fs/cgroup/cpu,cpuacct", cpu.MountPoint);
        Assert.Same(cpu, Assert.Single(cgroups.With("cpuacct")));
        Assert.Equal("/sys/fs/cgroup/systemd", Assert.Single(cgroups.With("name=systemd")).MountPoint);

        // Mount options (xattr, release_agent=...) are not controllers.
        Assert.DoesNotContain(cgroups.Hierarchies, h => h.Controllers.Contains("xattr") || h.Controllers.Any(c => c.StartsWith("release_agent", StringComparison.Ordinal)));
        Assert.Empty(cgroups.With("hugetlb"));
        Assert.Equal("/sys/fs/cgroup/memory/kubepods/pod1", Assert.Single(cgroups.With("memory")).DirectoryOf("/kubepods/pod1"));
    }

    [Fact]
    public void A_v2_host_has_the_unified_hierarchy_which_carries_every_controller()
    {
        var cgroups = CgroupHierarchies.Detect(Fixture("mountinfo-v2"));

        Assert.Equal(CgroupVersion.V2, cgroups.Version);
        var unified = Assert.Single(cgroups.Hierarchies);
        Assert.True(unified.Unified);
        Assert.Equal("/sys/fs/cgroup", unified.MountPoint);
        Assert.Same(unified, Assert.Single(cgroups.With("cpuset")));
        Assert.Equal("/sys/fs/cgroup/sealpod/abc", unified.DirectoryOf("/sealpod/abc"));
    }

    [Fact]
    public void A_hybrid_host_is_driven_through_its_v1_controllers_not_the_empty_cgroup2_mount()
    {
        var cgroups = CgroupHierarchies.Detect(Fixture("mountinfo-hybrid"));

        Assert.Equal(CgroupVersion.V1, cgroups.Version);
        Assert.DoesNotContain(cgroups.Hierarchies, h => h.Unified);
        Assert.Equal(9, cgroups.Hierarchies.Count);
        Assert.Equal("/sys/fs/cgroup/cpuset", Assert.Single(cgroups.With("cpuset")).MountPoint);
    }

    [Fact]
    public void A_host_without_cgroups_is_an_error_naming_the_mount_table()
    {
        string path = Fixture("mountinfo-none");

        var error = Assert.Throws<InvalidOperationException>(() => CgroupHierarchies.Detect(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("no cgroup hierarchy", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Contains_is_strictly_inside_a_hierarchy()
    {
        var cgroups = CgroupHierarchies.Detect(Fixture("mountinfo-hybrid"));

        Assert.True(cgroups.Contains("/sys/fs/cgroup/cpu/sealpod/a"));
        Assert.False(cgroups.Contains("/sys/fs/cgroup/cpu"));
        Assert.False(cgroups.Contains("/sys/fs/cgroup/cpuset2/a"));
        Assert.False(cgroups.Contains("/etc/a"));
    }

    [Fact]
    public void The_live_host_is_detected()
    {
        // Whatever this machine is, it has some hierarchy and every mount point it names exists.
        var cgroups = CgroupHierarchies.Detect();

        Assert.NotEmpty(cgroups.Hierarchies);
        Assert.All(cgroups.Hierarchies, h => Assert.True(Directory.Exists(h.MountPoint), h.MountPoint));
    }
}
