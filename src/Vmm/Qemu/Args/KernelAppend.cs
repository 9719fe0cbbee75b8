namespace Sealpod.Vmm.Qemu.Args;

/// <summary><c>-append "p1 p2 ..."</c>: the guest kernel command line, one argv entry.</summary>
public sealed record KernelAppend(IReadOnlyList<string> Parameters) : IQemuArgs
{
    /// <inheritdoc />
    public IEnumerable<string> Render() => Parameters.Count == 0 ? [] : ["-append", string.Join(' ', Parameters)];

    /// <inheritdoc />
    public IEnumerable<string> RenderForLog() => Parameters.Count == 0 ? [] : ["-append", KernelParameterRedaction.Redact(string.Join(' ', Parameters))];
}
