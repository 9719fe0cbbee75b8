namespace Sealpod.Vmm.CloudHypervisor;

/// <summary>
/// Timeouts and host facts for <see cref="ClhHypervisor"/>; the defaults are Kata's. <see cref="DriverOptions.StartTimeout"/>
/// bounds exec to answering vmm.ping (Kata: 10 s).
/// </summary>
public sealed record ClhHypervisorOptions() : DriverOptions(TimeSpan.FromSeconds(10))
{
    /// <summary>Upper bound of one API call (Kata: 1 s).</summary>
    public TimeSpan ApiTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Upper bound of one API call for a TEE guest, whose create and boot do the measured launch (Kata: 20 s).</summary>
    public TimeSpan ConfidentialApiTimeout { get; init; } = TimeSpan.FromSeconds(20);
}
