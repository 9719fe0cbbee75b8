namespace Sealpod.Config;

/// <summary>
/// Kata's rule for <c>default_maxvcpus</c> and <c>default_maxmemory</c>: the configured maximum, where 0 (or less)
/// or more than the host has means what the host has. One rule for the drivers, the annotation checks and sizing.
/// </summary>
public static class HostLimit
{
    /// <summary>The configured maximum capped at the host's amount.</summary>
    public static long Cap(long configured, long host) => configured <= 0 || configured > host ? host : configured;

    /// <inheritdoc cref="Cap(long, long)"/>
    public static int Cap(int configured, int host) => configured <= 0 || configured > host ? host : configured;
}
