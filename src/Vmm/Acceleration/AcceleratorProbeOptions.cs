namespace Sealpod.Vmm.Acceleration;

/// <summary>Where <see cref="AcceleratorProbe"/> looks; overridable so tests can point it at fakes.</summary>
public sealed record AcceleratorProbeOptions
{
    /// <summary>The environment variable that overrides the choice: <c>kvm</c>, <c>tcg</c> or <c>auto</c>.</summary>
    public const string OverrideVariable = "SEALPOD_ACCEL";

    /// <summary>The KVM device.</summary>
    public string KvmDevicePath { get; init; } = "/dev/kvm";

    /// <summary>
    /// Checks the KVM device: null when it opens, speaks API 12 and creates a VM, otherwise why not. Replaceable so
    /// the decisions that follow a working device can be tested on hosts that have none.
    /// </summary>
    public Func<string, string?> CheckKvmDevice { get; init; } = KvmProbe.Check;

    /// <summary>Where loaded kernel modules appear (used to recognise PVM).</summary>
    public string SysModulePath { get; init; } = "/sys/module";

    /// <summary>The current boot's id; a cached verdict is only valid for the boot that produced it.</summary>
    public string BootIdPath { get; init; } = "/proc/sys/kernel/random/boot_id";

    /// <summary>
    /// Where boot-test verdicts are cached (a directory under the runtime state dir); null disables
    /// the cache, so every decision needing a boot test runs one.
    /// </summary>
    public string? CacheDirectory { get; init; }

    /// <summary>Reads an environment variable; replaceable so tests do not have to mutate the process environment.</summary>
    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;
}
