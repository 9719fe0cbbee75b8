namespace Sealpod.Runtime.Sandboxes;

/// <summary>What a <see cref="SandboxHost"/> is built from.</summary>
public sealed record SandboxHostOptions
{
    /// <summary>containerd's namespace when none is given.</summary>
    public const string DefaultNamespace = "default";

    public required IEventPublisher Publisher { get; init; }

    public required ILoggerFactory LoggerFactory { get; init; }

    public RuntimeDirectories Directories { get; init; } = new();

    public ConfigurationLoaderOptions ConfigurationLoader { get; init; } = new();

    /// <summary>The mkfs.erofs binary (tests substitute a failing one).</summary>
    public string MkfsErofs { get; init; } = "mkfs.erofs";

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The containerd namespace the shim serves (its -namespace flag).</summary>
    public string Namespace { get; init; } = DefaultNamespace;

    /// <summary>The host's memory, the ceiling of a statically sized VM (tests fix it).</summary>
    public HostMemory HostMemory { get; init; } = HostMemory.Proc;

    /// <summary>The host's CPUs, the ceiling of a statically sized VM when default_maxvcpus is 0 (tests fix it).</summary>
    public int HostCpus { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Whether each sandbox's VM joins its pod's host cgroup (needs root and writable cgroup hierarchies; unit tests
    /// without root turn it off).
    /// </summary>
    public bool HostCgroups { get; init; } = true;

    /// <summary>
    /// Whether the sandbox's network namespace (from its spec) is wired into the VM; tests whose fake hypervisor gets a
    /// spec naming a namespace that does not exist turn it off.
    /// </summary>
    public bool PodNetwork { get; init; } = true;

    /// <summary>Makes each sandbox's VM and dials its agent (tests substitute one that needs no guest).</summary>
    public ISandboxVmFactory VmFactory { get; init; } = SandboxVmFactory.Default;
}
