namespace Sealpod.Config;

/// <summary><c>[factory]</c>: VM templating and VM cache (parsed for compatibility; Sealpod boots each VM fresh).</summary>
public sealed record FactoryConfig
{
    /// <summary><c>enable_template</c>: requires an initrd.</summary>
    public bool EnableTemplate { get; init; }

    /// <summary><c>template_path</c>.</summary>
    public string TemplatePath { get; init; } = "/run/vc/vm/template";

    /// <summary><c>vm_cache_number</c>: 0 disables the VM cache (QEMU only).</summary>
    public int VmCacheNumber { get; init; }

    /// <summary><c>vm_cache_endpoint</c>.</summary>
    public string VmCacheEndpoint { get; init; } = "/var/run/kata-containers/cache.sock";
}
