namespace Sealpod.Runtime.Sandboxes;

/// <summary>Everything <see cref="Sandbox.LaunchAsync"/> needs to boot a sandbox's VM.</summary>
public sealed record SandboxLaunchRequest
{
    public required string SandboxId { get; init; }

    /// <summary>The configuration after annotations.</summary>
    public required SealpodConfiguration Configuration { get; init; }

    public required RuntimeDirectories Directories { get; init; }

    /// <summary>The first container's rootfs image, attached at boot instead of hotplugged.</summary>
    public ErofsImage? BootImage { get; init; }

    /// <summary>The guest hostname (the spec's).</summary>
    public string Hostname { get; init; } = string.Empty;

    /// <summary>The pod's network namespace (the sandbox spec's network namespace path); null: the VM gets no NIC.</summary>
    public string? NetworkNamespacePath { get; init; }

    /// <summary>The resolver lines CreateSandbox carries (the pod's resolv.conf).</summary>
    public IReadOnlyList<string> Dns { get; init; } = [];

    public required EventQueue Events { get; init; }

    public required FdPoller Poller { get; init; }

    public required ILoggerFactory LoggerFactory { get; init; }

    public StartupTimeline Timeline { get; init; } = new();

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The containerd namespace the shim serves.</summary>
    public string Namespace { get; init; } = SandboxHostOptions.DefaultNamespace;

    /// <summary>The host cgroups the VM joins once started; null leaves it where the shim is.</summary>
    public HostCgroupPlan? HostCgroups { get; init; }

    /// <summary>Makes the VM and dials its agent (tests substitute one that needs no guest).</summary>
    public ISandboxVmFactory VmFactory { get; init; } = SandboxVmFactory.Default;
}
