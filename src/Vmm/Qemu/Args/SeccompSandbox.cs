namespace Sealpod.Vmm.Qemu.Args;

/// <summary>
/// <c>-sandbox on,obsolete=deny,...</c>: QEMU's own seccomp filter (Kata's <c>seccompsandbox</c>),
/// options as configured.
/// </summary>
public sealed record SeccompSandbox(string Options) : IQemuArgs
{
    /// <inheritdoc />
    public IEnumerable<string> Render() => ["-sandbox", Options];
}
