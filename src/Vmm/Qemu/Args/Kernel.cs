namespace Sealpod.Vmm.Qemu.Args;

/// <summary><c>-kernel PATH</c>: direct kernel boot (for IBM SE, the SE boot image).</summary>
public sealed record Kernel(string Path) : IQemuArgs
{
    /// <inheritdoc />
    public IEnumerable<string> Render() => ["-kernel", Path];
}
