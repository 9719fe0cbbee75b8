namespace Sealpod.Vmm.Qemu;

/// <summary>
/// The rendered command line plus the device layout the running VM starts from, and the descriptors QEMU must inherit
/// (the i-th at number <see cref="Lifecycle.VmProcess.FirstPassedDescriptor"/> + i, as the argv names them).
/// </summary>
internal sealed record QemuLaunchPlan(QemuCommandLine CommandLine, QemuDeviceLayout Layout)
{
    public IReadOnlyList<SafeHandle> PassedDescriptors { get; init; } = [];
}
