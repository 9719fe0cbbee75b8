namespace Sealpod.Config;

/// <summary><c>[hypervisor.clh]</c>: the shared settings plus Cloud Hypervisor's IGVM payload and I/O rate limiters.</summary>
public sealed record CloudHypervisorConfig : HypervisorConfig
{
    public CloudHypervisorConfig()
    {
        Path = "/usr/bin/cloud-hypervisor";
        BlockDeviceDriver = BlockDeviceDriver.VirtioBlk;
    }

    public override HypervisorKind Kind => HypervisorKind.CloudHypervisor;

    /// <summary><c>igvm</c>: IGVM payload for SEV-SNP guests (Microsoft's Cloud Hypervisor); required with <c>sev_snp_guest</c>.</summary>
    public string Igvm { get; init; } = string.Empty;

    /// <summary><c>net_rate_limiter_bw_max_rate</c>: bits/s, 0 unlimited.</summary>
    public long NetRateLimiterBwMaxRate { get; init; }

    /// <summary><c>net_rate_limiter_bw_one_time_burst</c>.</summary>
    public long NetRateLimiterBwOneTimeBurst { get; init; }

    /// <summary><c>net_rate_limiter_ops_max_rate</c>: ops/s, 0 unlimited.</summary>
    public long NetRateLimiterOpsMaxRate { get; init; }

    /// <summary><c>net_rate_limiter_ops_one_time_burst</c>.</summary>
    public long NetRateLimiterOpsOneTimeBurst { get; init; }

    /// <summary><c>disk_rate_limiter_bw_max_rate</c>: bits/s, 0 unlimited.</summary>
    public long DiskRateLimiterBwMaxRate { get; init; }

    /// <summary><c>disk_rate_limiter_bw_one_time_burst</c>.</summary>
    public long DiskRateLimiterBwOneTimeBurst { get; init; }

    /// <summary><c>disk_rate_limiter_ops_max_rate</c>: ops/s, 0 unlimited.</summary>
    public long DiskRateLimiterOpsMaxRate { get; init; }

    /// <summary><c>disk_rate_limiter_ops_one_time_burst</c>.</summary>
    public long DiskRateLimiterOpsOneTimeBurst { get; init; }
}
