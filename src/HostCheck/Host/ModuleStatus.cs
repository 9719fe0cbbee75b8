namespace Sealpod.HostCheck.Host;

public sealed record ModuleStatus(string Name, ModuleState State, IReadOnlyList<Evidence> Evidence)
{
    /// <summary>Usable now: loaded or built into the kernel.</summary>
    public bool Present => State is ModuleState.Loaded or ModuleState.BuiltIn;

    public string Describe() => State switch
    {
        ModuleState.Loaded => $"{Name} loaded",
        ModuleState.BuiltIn => $"{Name} built in",
        ModuleState.NotLoaded => $"{Name} available but not loaded",
        _ => $"{Name} missing",
    };
}
