namespace Sealpod.Runtime.Tests.Pods;

/// <summary><see cref="SandboxSizing"/>: the CRI sizing annotations read strictly and Kata's static sizing rule.</summary>
public sealed class SandboxSizingTests
{
    private static readonly HostMemory Host = HostMemory.Fixed(16384);

    [Fact]
    public void Quota_over_period_and_memory_in_mib_are_the_workload()
    {
        var sizing = SandboxSizing.FromAnnotations(Annotations(quota: "150000", period: "100000", memory: "536870912", shares: "1536"));

        Assert.Equal(1.5f, sizing.WorkloadVcpus);
        Assert.Equal(512, sizing.WorkloadMemoryMiB);
    }

    [Fact]
    public void No_quota_means_no_vcpus_added()
    {
        // CRI writes quota -1 (or 0) for a pod without CPU limits.
        var sizing = SandboxSizing.FromAnnotations(Annotations(quota: "-1", period: "100000"));

        Assert.Equal(SandboxSizing.None, sizing);
    }

    [Theory]
    [InlineData(SandboxSizing.CpuQuotaKey, "1.5")]
    [InlineData(SandboxSizing.CpuPeriodKey, "-5")]
    [InlineData(SandboxSizing.CpuSharesKey, "lots")]
    [InlineData(SandboxSizing.MemoryKey, "512Mi")]
    public void A_malformed_annotation_is_refused_by_name(string key, string value)
    {
        var error = Assert.Throws<InvalidArgumentException>(() => SandboxSizing.FromAnnotations(new Dictionary<string, string> { [key] = value }));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Static_sizing_adds_the_workload_to_the_defaults()
    {
        var configuration = Configuration(staticSizing: true);

        var sized = new SandboxSizing(1.5f, 512).Apply(configuration, Host, hostCpus: 8);

        Assert.Equal(configuration.Hypervisor.DefaultVcpus + 1.5f, sized.DefaultVcpus);
        Assert.Equal(configuration.Hypervisor.DefaultMemoryMiB + 512, sized.DefaultMemoryMiB);
    }

    [Fact]
    public void Without_static_sizing_a_plain_guest_keeps_its_defaults()
    {
        var configuration = Configuration(staticSizing: false);

        Assert.Same(configuration.Hypervisor, new SandboxSizing(2, 1024).Apply(configuration, Host, hostCpus: 8));
    }

    [Fact]
    public void A_confidential_guest_is_sized_even_without_static_sizing()
    {
        var configuration = Configuration(staticSizing: false, h => h with { ConfidentialGuest = true });

        var sized = new SandboxSizing(2, 1024).Apply(configuration, Host, hostCpus: 8);

        Assert.Equal(configuration.Hypervisor.DefaultMemoryMiB + 1024, sized.DefaultMemoryMiB);
        Assert.Equal(configuration.Hypervisor.DefaultVcpus + 2, sized.DefaultVcpus);
    }

    [Fact]
    public void Memory_above_default_maxmemory_is_refused_naming_the_annotation()
    {
        var configuration = Configuration(staticSizing: true, h => h with { DefaultMemoryMiB = 2048, DefaultMaxMemoryMiB = 4096 });

        var error = Assert.Throws<InvalidArgumentException>(() => new SandboxSizing(0, 3000).Apply(configuration, Host, hostCpus: 8));

        Assert.Contains(SandboxSizing.MemoryKey, error.Message, StringComparison.Ordinal);
        Assert.Contains("5048 MiB", error.Message, StringComparison.Ordinal);
        Assert.Contains("4096 MiB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Memory_above_the_hosts_is_refused_when_default_maxmemory_is_unset()
    {
        var configuration = Configuration(staticSizing: true, h => h with { DefaultMemoryMiB = 2048, DefaultMaxMemoryMiB = 0 });

        var error = Assert.Throws<InvalidArgumentException>(() => new SandboxSizing(0, 3000).Apply(configuration, HostMemory.Fixed(4096), hostCpus: 8));

        Assert.Contains(SandboxSizing.MemoryKey, error.Message, StringComparison.Ordinal);
        Assert.Contains("4096 MiB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Vcpus_above_default_maxvcpus_are_refused_naming_the_annotations()
    {
        var configuration = Configuration(staticSizing: true, h => h with { DefaultVcpus = 1, DefaultMaxVcpus = 2 });

        var error = Assert.Throws<InvalidArgumentException>(() => new SandboxSizing(1.5f, 0).Apply(configuration, Host, hostCpus: 8));

        Assert.Contains(SandboxSizing.CpuQuotaKey, error.Message, StringComparison.Ordinal);
        Assert.Contains("maximum of 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Vcpus_above_the_hosts_are_refused_when_default_maxvcpus_is_unset()
    {
        var configuration = Configuration(staticSizing: true, h => h with { DefaultVcpus = 1, DefaultMaxVcpus = 0 });

        Assert.Equal(4f, new SandboxSizing(3, 0).Apply(configuration, Host, hostCpus: 4).DefaultVcpus);
        Assert.Throws<InvalidArgumentException>(() => new SandboxSizing(3.5f, 0).Apply(configuration, Host, hostCpus: 4));
    }

    /// <summary>The shipped configuration for a plain guest, with or without static sizing, then <paramref name="hypervisor"/>'s changes.</summary>
    private static SealpodConfiguration Configuration(bool staticSizing, Func<HypervisorConfig, HypervisorConfig>? hypervisor = null)
    {
        var shipped = new ConfigurationLoader().LoadFileAsync(Repository.ShippedConfig).GetAwaiter().GetResult();
        var plain = shipped.Hypervisor with { ConfidentialGuest = false };
        return shipped with
        {
            Runtime = shipped.Runtime with { StaticSandboxResourceMgmt = staticSizing },
            Hypervisor = hypervisor?.Invoke(plain) ?? plain,
        };
    }

    private static Dictionary<string, string> Annotations(string? quota = null, string? period = null, string? memory = null, string? shares = null)
    {
        var annotations = new Dictionary<string, string>();
        foreach (var (key, value) in new[] { (SandboxSizing.CpuQuotaKey, quota), (SandboxSizing.CpuPeriodKey, period), (SandboxSizing.MemoryKey, memory), (SandboxSizing.CpuSharesKey, shares) })
        {
            if (value is not null)
            {
                annotations[key] = value;
            }
        }

        return annotations;
    }
}
