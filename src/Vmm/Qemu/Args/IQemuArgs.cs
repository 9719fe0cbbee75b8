namespace Sealpod.Vmm.Qemu.Args;

/// <summary>
/// One part of a QEMU command line. Each part renders its own switches so that the
/// knowledge of a switch's syntax lives in exactly one record.
/// </summary>
public interface IQemuArgs
{
    /// <summary>The argv entries of this part, switch and value as separate entries.</summary>
    IEnumerable<string> Render();
}
