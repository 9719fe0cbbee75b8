namespace Sealpod.Vmm.Qemu.Args;

/// <summary>
/// One part of a QEMU command line. Each part renders its own switches so that the
/// knowledge of a switch's syntax lives in exactly one record.
/// </summary>
public interface IQemuArgs
{
    /// <summary>The argv entries of this part, switch and value as separate entries.</summary>
    IEnumerable<string> Render();

    /// <summary>
    /// The same entries for the host log: parts that carry an endpoint, a credential or something bound from Init-Data
    /// show <see cref="Tee.KernelParams.KernelParameterRedaction.Placeholder"/> in place of the value.
    /// </summary>
    IEnumerable<string> RenderForLog() => Render();
}
