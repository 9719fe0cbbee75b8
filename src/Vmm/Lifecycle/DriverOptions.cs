namespace Sealpod.Vmm.Lifecycle;

/// <summary>
/// What every driver's options hold: how long its VMM may take to come up and to quit, the host's resources and the
/// clock. Each driver's record adds its own timeouts and sets its start-up bound.
/// </summary>
public abstract record DriverOptions
{
    /// <param name="startTimeout">The driver's default for <see cref="StartTimeout"/>.</param>
    private protected DriverOptions(TimeSpan startTimeout) => StartTimeout = startTimeout;

    /// <summary>How long the VMM may take from exec to answering on its control socket.</summary>
    public TimeSpan StartTimeout { get; init; }

    /// <summary>How long the VMM may take to exit after it was asked to before it is killed.</summary>
    public TimeSpan QuitTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The host's CPUs and memory; detected when null.</summary>
    public HostResources? Host { get; init; }

    /// <summary>Clock for exit timestamps.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The host a launch sizes "0 = host" settings by: <see cref="Host"/>, else detected now.</summary>
    public HostResources ResolveHost() => Host ?? HostResources.Detect();
}
