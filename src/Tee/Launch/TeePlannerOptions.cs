namespace Sealpod.Tee.Launch;

/// <summary>Where <see cref="TeePlanner"/> looks at the host; tests point both at a host that is not this one.</summary>
public sealed record TeePlannerOptions
{
    /// <summary>Root under which sysfs, procfs, /dev/sev and the QGS socket are looked up.</summary>
    public string ProbeRoot { get; init; } = "/";

    /// <summary>CPUID, for the C-bit position and reduced physical address bits.</summary>
    public ICpuid Cpuid { get; init; } = X86Cpuid.Instance;
}
