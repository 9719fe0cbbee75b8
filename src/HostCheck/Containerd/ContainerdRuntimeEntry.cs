namespace Sealpod.HostCheck.Containerd;

/// <summary>One CRI runtime handler from containerd's configuration.</summary>
/// <param name="Name">The handler name (the key under ...containerd.runtimes).</param>
/// <param name="Table">The dotted TOML table it was read from, for evidence.</param>
/// <param name="SourceFile">The file that defined it (config.toml or an import).</param>
/// <param name="PodAnnotations">Null when the key is absent.</param>
/// <param name="ConfigPath">options.ConfigPath; null when absent.</param>
public sealed record ContainerdRuntimeEntry(
    string Name,
    string Table,
    string SourceFile,
    string? RuntimeType,
    IReadOnlyList<string>? PodAnnotations,
    bool? PrivilegedWithoutHostDevices,
    string? ConfigPath);
