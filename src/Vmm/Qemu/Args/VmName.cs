namespace Sealpod.Vmm.Qemu.Args;

/// <summary><c>-name NAME</c>: shows in QMP and process listings, so a sandbox's QEMU can be found by id.</summary>
public sealed record VmName(string Name) : IQemuArgs
{
    /// <summary>Name threads after their role (vCPU n, iothread) in /proc, which helps vCPU cgroup placement.</summary>
    public bool DebugThreads { get; init; } = true;

    /// <inheritdoc />
    public IEnumerable<string> Render() =>
        ["-name", new QemuOptionList(Name).Add("debug-threads", DebugThreads ? true : null).ToString()];
}
