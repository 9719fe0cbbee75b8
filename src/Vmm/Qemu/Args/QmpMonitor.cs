namespace Sealpod.Vmm.Qemu.Args;

/// <summary><c>-mon chardev=ID,mode=control</c>: a QMP monitor on a chardev.</summary>
public sealed record QmpMonitor(string ChardevId) : IQemuArgs
{
    /// <inheritdoc />
    public IEnumerable<string> Render() => ["-mon", new QemuOptionList().Add("chardev", ChardevId).Add("mode", "control").ToString()];
}
