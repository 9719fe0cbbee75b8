namespace Sealpod.Config.Tests;

/// <summary>
/// Issue 12.3: a pod's <c>default_memory</c> annotation may not exceed <c>default_maxmemory</c>, nor the host's RAM when
/// that is 0 or larger (Kata's rule). The host is injected as <c>/proc/meminfo</c> text; one test reads the real file.
/// </summary>
public sealed class MemoryCeilingTests
{
    private const string DefaultMemory = KataAnnotations.HypervisorPrefix + "default_memory";

    private static SealpodConfiguration Config(long maxMemoryMiB) =>
        Load.Text(Load.MinimalQemu + $"default_maxmemory = {maxMemoryMiB}\nenable_annotations = [\"default_memory\"]\n");

    private static string Rejected(SealpodConfiguration config, string value, HostMemory host) =>
        Assert.Single(Assert.Throws<ConfigurationException>(
            () => config.WithAnnotations(new Dictionary<string, string> { [DefaultMemory] = value }, host)).Errors).ToString();

    [Fact]
    public void With_no_default_maxmemory_the_host_memory_is_the_ceiling()
    {
        var host = HostMemory.Fixed(8192);

        Assert.Equal(
            "io.katacontainers.config.hypervisor.default_memory: expected at most 8192 MiB (the host's memory; default_maxmemory in [hypervisor.qemu] is 0), found 1048576 MiB",
            Rejected(Config(0), "1048576", host));
        Assert.Equal(8192, Config(0).WithAnnotations(new Dictionary<string, string> { [DefaultMemory] = "8192" }, host).Hypervisor.DefaultMemoryMiB);
    }

    [Fact]
    public void A_default_maxmemory_above_the_host_is_capped_at_the_host()
    {
        Assert.Equal(
            "io.katacontainers.config.hypervisor.default_memory: expected at most 4096 MiB (the host's memory, below default_maxmemory (65536 MiB) in [hypervisor.qemu]), found 8192 MiB",
            Rejected(Config(65536), "8192", HostMemory.Fixed(4096)));
    }

    [Fact]
    public void A_default_maxmemory_below_the_host_is_the_ceiling()
    {
        Assert.Equal(
            "io.katacontainers.config.hypervisor.default_memory: expected at most 3000 MiB (default_maxmemory in [hypervisor.qemu]), found 3001 MiB",
            Rejected(Config(3000), "3001", HostMemory.Fixed(16384)));
    }

    [Fact]
    public void Unreadable_host_memory_refuses_the_annotation()
    {
        var broken = new HostMemory(() => "MemFree: 12 kB\n");

        Assert.Contains("no \"MemTotal: N kB\" line", Rejected(Config(0), "512", broken), StringComparison.Ordinal);
    }

    [Fact]
    public void Meminfo_is_parsed_in_kibibytes()
    {
        var host = new HostMemory(() => "MemTotal:       16315468 kB\nMemFree:         1000 kB\n");

        Assert.Equal(16315468 / 1024, host.TotalMiB());
    }

    [Fact]
    public void The_default_reads_this_hosts_proc_meminfo()
    {
        var total = HostMemory.Proc.TotalMiB();
        var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));

        Assert.Equal(long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024, total);
        var e = Assert.Throws<ConfigurationException>(
            () => Config(0).WithAnnotations(new Dictionary<string, string> { [DefaultMemory] = (total + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        Assert.StartsWith("io.katacontainers.config.hypervisor.default_memory: expected at most " + total + " MiB", Assert.Single(e.Errors).ToString(), StringComparison.Ordinal);
    }
}
