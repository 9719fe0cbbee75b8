namespace Sealpod.Vmm.Qemu.Qmp;

/// <summary>Names of the QMP events the runtime reacts to.</summary>
public static class QmpEventNames
{
    /// <summary>The VM is shutting down; <c>data.reason</c> says why (<c>guest-shutdown</c>, <c>host-qmp-quit</c>...).</summary>
    public const string Shutdown = "SHUTDOWN";

    /// <summary>The guest was reset; with <c>-no-reboot</c> a SHUTDOWN follows.</summary>
    public const string Reset = "RESET";

    /// <summary>vCPUs stopped.</summary>
    public const string Stop = "STOP";

    /// <summary>vCPUs resumed.</summary>
    public const string Resume = "RESUME";

    /// <summary>An ACPI power-down request was sent to the guest.</summary>
    public const string Powerdown = "POWERDOWN";

    /// <summary>A device finished unplugging; <c>data.device</c> is its id.</summary>
    public const string DeviceDeleted = "DEVICE_DELETED";

    /// <summary>The guest kernel panicked (pvpanic).</summary>
    public const string GuestPanicked = "GUEST_PANICKED";
}
