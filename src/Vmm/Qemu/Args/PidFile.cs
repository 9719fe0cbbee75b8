namespace Sealpod.Vmm.Qemu.Args;

/// <summary><c>-pidfile PATH</c>: lets a restarted shim find the VM it owns.</summary>
public sealed record PidFile(string Path) : IQemuArgs
{
    /// <inheritdoc />
    public IEnumerable<string> Render() => ["-pidfile", Path];
}
