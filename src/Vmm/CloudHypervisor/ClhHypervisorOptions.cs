namespace Sealpod.Vmm.CloudHypervisor;

/// <summary>Timeouts and host facts for <see cref="ClhHypervisor"/>; the defaults are Kata's.</summary>
public sealed record ClhHypervisorOptions
{
    /// <summary>How long the VMM may take from exec to answering vmm.ping (Kata: 10 s).</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Upper bound of one API call (Kata: 1 s).</summary>
    public TimeSpan ApiTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Upper bound of one API call for a TEE guest, whose create and boot do the measured launch (Kata: 20 s).</summary>
    public TimeSpan ConfidentialApiTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long the VMM may take to exit after vmm.shutdown before it is killed.</summary>
    public TimeSpan QuitTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The host's CPUs and memory; detected when null.</summary>
    public HostResources? Host { get; init; }

    /// <summary>Clock for exit timestamps.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
