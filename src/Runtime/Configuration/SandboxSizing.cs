namespace Sealpod.Runtime.Configuration;

/// <summary>
/// The pod's workload as containerd's CRI states it on the sandbox spec (the sum of its containers' limits), and
/// Kata's static_sandbox_resource_mgmt rule: the VM boots with <c>default_vcpus</c> + quota/period vCPUs and
/// <c>default_memory</c> + the memory limit, since nothing is hot-plugged later. A confidential guest cannot
/// hot-plug at all, so it is always sized this way.
/// </summary>
public sealed record SandboxSizing(float WorkloadVcpus, long WorkloadMemoryMiB)
{
    public const string CpuQuotaKey = "io.kubernetes.cri.sandbox-cpu-quota";
    public const string CpuPeriodKey = "io.kubernetes.cri.sandbox-cpu-period";
    public const string CpuSharesKey = "io.kubernetes.cri.sandbox-cpu-shares";
    public const string MemoryKey = "io.kubernetes.cri.sandbox-memory";

    public static SandboxSizing None { get; } = new(0, 0);

    /// <summary>Reads the CRI sizing annotations; each must be a decimal integer (quota may be -1, "no limit").</summary>
    /// <exception cref="InvalidArgumentException">An annotation is not such an integer.</exception>
    public static SandboxSizing FromAnnotations(IReadOnlyDictionary<string, string> annotations)
    {
        ArgumentNullException.ThrowIfNull(annotations);
        long quota = Read(annotations, CpuQuotaKey, min: -1);
        long period = Read(annotations, CpuPeriodKey, min: 0);

        // Shares weigh CPU time between containers; they size nothing, but a malformed value is still a malformed request.
        Read(annotations, CpuSharesKey, min: 0);
        long memory = Read(annotations, MemoryKey, min: 0);
        float vcpus = quota > 0 && period > 0 ? (float)((double)quota / period) : 0;
        return new SandboxSizing(vcpus, memory / (1024 * 1024));
    }

    /// <summary>
    /// <paramref name="configuration"/>'s hypervisor with the workload added when sizing is static (or the guest
    /// confidential); unchanged otherwise.
    /// </summary>
    /// <exception cref="InvalidArgumentException">The total exceeds default_maxvcpus / default_maxmemory or the host's memory.</exception>
    public HypervisorConfig Apply(SealpodConfiguration configuration, HostMemory hostMemory, int hostCpus)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(hostMemory);
        var hypervisor = configuration.Hypervisor;
        if (this == None || !(configuration.Runtime.StaticSandboxResourceMgmt || hypervisor.ConfidentialGuest))
        {
            return hypervisor;
        }

        var sized = hypervisor;
        if (WorkloadVcpus > 0 && hypervisor.DefaultVcpus > 0)
        {
            // A negative default_vcpus already means every host CPU: nothing to add.
            float total = hypervisor.DefaultVcpus + WorkloadVcpus;
            int max = HostLimit.Cap(hypervisor.DefaultMaxVcpus, hostCpus);
            if (Math.Ceiling(total) > max)
            {
                throw new InvalidArgumentException(
                    $"annotations {CpuQuotaKey}/{CpuPeriodKey}: the pod's {WorkloadVcpus.ToString(CultureInfo.InvariantCulture)} vCPUs plus default_vcpus " +
                    $"{hypervisor.DefaultVcpus.ToString(CultureInfo.InvariantCulture)} need {Math.Ceiling(total)} vCPUs, above the maximum of {max} " +
                    $"(default_maxvcpus {hypervisor.DefaultMaxVcpus}, host CPUs {hostCpus})");
            }

            sized = sized with { DefaultVcpus = total };
        }

        if (WorkloadMemoryMiB > 0)
        {
            long total = hypervisor.DefaultMemoryMiB + WorkloadMemoryMiB;
            long max = hostMemory.MaxGuestMemoryMiB(hypervisor.DefaultMaxMemoryMiB);
            if (total > max || total > int.MaxValue)
            {
                throw new InvalidArgumentException(
                    $"annotation {MemoryKey}: the pod's {WorkloadMemoryMiB} MiB plus default_memory {hypervisor.DefaultMemoryMiB} MiB need {total} MiB, " +
                    $"above the maximum of {max} MiB (default_maxmemory {hypervisor.DefaultMaxMemoryMiB} MiB, capped by the host's memory)");
            }

            sized = sized with { DefaultMemoryMiB = (int)total };
        }

        return sized;
    }

    private static long Read(IReadOnlyDictionary<string, string> annotations, string key, long min)
    {
        if (!annotations.TryGetValue(key, out var text) || text.Length == 0)
        {
            return 0;
        }

        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < min)
        {
            throw new InvalidArgumentException($"annotation {key}: expected an integer >= {min}, found '{text}'");
        }

        return value;
    }
}
