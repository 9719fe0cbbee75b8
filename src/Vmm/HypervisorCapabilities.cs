namespace Sealpod.Vmm;

/// <summary>Optional features a driver supports; callers check before using the matching members.</summary>
[Flags]
public enum HypervisorCapabilities
{
    /// <summary>Only the mandatory lifecycle.</summary>
    None = 0,

    /// <summary><see cref="IHypervisor.PauseAsync"/> and <see cref="IHypervisor.ResumeAsync"/>.</summary>
    PauseResume = 1,

    /// <summary>Block devices can be added to and removed from a running VM.</summary>
    BlockDeviceHotplug = 2,
}
