namespace Sealpod.Vmm.Qemu;

/// <summary>The rendered command line plus the device layout the running VM starts from.</summary>
internal sealed record QemuLaunchPlan(QemuCommandLine CommandLine, QemuDeviceLayout Layout);
