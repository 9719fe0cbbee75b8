namespace Sealpod.Vmm.Qemu;

/// <summary>How disk backends are opened (Kata's <c>block_device_aio</c> and <c>block_device_cache_*</c>), the same for boot-time and hotplugged disks.</summary>
/// <param name="Aio">QEMU's <c>aio</c> name, or null for its default.</param>
/// <param name="CacheDirect"><c>cache.direct</c> when the cache mode is set explicitly, else null.</param>
/// <param name="CacheNoFlush"><c>cache.no-flush</c> when the cache mode is set explicitly, else null.</param>
public sealed record BlockBackendOptions(string? Aio, bool? CacheDirect, bool? CacheNoFlush)
{
    /// <summary>QEMU's defaults throughout.</summary>
    public static BlockBackendOptions Default { get; } = new(null, null, null);
}
