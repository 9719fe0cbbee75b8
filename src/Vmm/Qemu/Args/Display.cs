namespace Sealpod.Vmm.Qemu.Args;

/// <summary>
/// <c>-display none</c>. Preferred over <c>-nographic</c>, which would also try to put a monitor or
/// serial port on QEMU's stdio.
/// </summary>
public sealed record Display(string Type = "none") : IQemuArgs
{
    /// <inheritdoc />
    public IEnumerable<string> Render() => ["-display", Type];
}
