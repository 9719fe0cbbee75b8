namespace Sealpod.Vmm.Qemu.Args;

/// <summary><c>-initrd PATH</c>.</summary>
public sealed record Initrd(string Path) : IQemuArgs
{
    /// <inheritdoc />
    public IEnumerable<string> Render() => ["-initrd", Path];
}
