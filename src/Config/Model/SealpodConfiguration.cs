namespace Sealpod.Config;

/// <summary>
/// A loaded, defaulted and validated runtime configuration: Kata's sections as immutable records. Build one with
/// <see cref="ConfigurationLoader"/>; derive a per-pod variant with <see cref="WithAnnotations"/>.
/// </summary>
public sealed record SealpodConfiguration
{
    /// <summary>The single <c>[hypervisor.*]</c> section; match on <see cref="QemuConfig"/> or <see cref="CloudHypervisorConfig"/>.</summary>
    public required HypervisorConfig Hypervisor { get; init; }

    public AgentConfig Agent { get; init; } = new();

    public RuntimeConfig Runtime { get; init; } = new();

    public FactoryConfig Factory { get; init; } = new();

    public ImageConfig Image { get; init; } = new();

    /// <summary>The files that made this configuration, in the order applied (main file, then <c>config.d</c> drop-ins).</summary>
    public EquatableArray<string> SourceFiles { get; init; } = [];

    /// <summary>Non-fatal findings: unknown keys, clamped values, ignored annotations.</summary>
    public EquatableArray<ConfigurationDiagnostic> Warnings { get; init; } = [];

    /// <summary>Where each key was written.</summary>
    public ConfigurationSourceMap Sources { get; init; } = ConfigurationSourceMap.Empty;

    /// <summary>
    /// Keys Kata accepts that Sealpod recognises but does not act on (for example <c>jailer_path</c>, runtime-rs's
    /// <c>dial_timeout_ms</c>), by full key path, kept as written so nothing in the file is silently lost.
    /// </summary>
    public IReadOnlyDictionary<string, TomlValue> UnmodelledKeys { get; init; } = new Dictionary<string, TomlValue>();

    /// <summary>The hypervisor section when it is QEMU, else null.</summary>
    public QemuConfig? Qemu => Hypervisor as QemuConfig;

    /// <summary>The hypervisor section when it is Cloud Hypervisor, else null.</summary>
    public CloudHypervisorConfig? CloudHypervisor => Hypervisor as CloudHypervisorConfig;

    /// <summary>
    /// Applies a pod's <c>io.katacontainers.*</c> annotations the way Kata does: hypervisor keys only when
    /// <c>enable_annotations</c> allows them, path-valued keys only inside the matching <c>valid_*_paths</c> list.
    /// Returns a new configuration; this one is unchanged.
    /// </summary>
    /// <remarks><c>default_memory</c> is capped at the host's RAM read from <c>/proc/meminfo</c> (Kata's rule).</remarks>
    /// <exception cref="ConfigurationException">Every disallowed or malformed annotation, each named.</exception>
    public SealpodConfiguration WithAnnotations(IReadOnlyDictionary<string, string> annotations) =>
        AnnotationOverrides.Apply(this, annotations, HostMemory.Proc);

    /// <summary>As <see cref="WithAnnotations(IReadOnlyDictionary{string, string})"/>, with the host's memory given.</summary>
    public SealpodConfiguration WithAnnotations(IReadOnlyDictionary<string, string> annotations, HostMemory hostMemory) =>
        AnnotationOverrides.Apply(this, annotations, hostMemory);
}
