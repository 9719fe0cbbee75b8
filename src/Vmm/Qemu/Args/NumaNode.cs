namespace Sealpod.Vmm.Qemu.Args;

/// <summary><c>-numa node,memdev=ID</c>: backs the guest's boot RAM with a memory backend object (Kata's layout for shared memory).</summary>
public sealed record NumaNode(string MemDev) : IQemuArgs
{
    /// <inheritdoc />
    public IEnumerable<string> Render() => ["-numa", new QemuOptionList("node").Add("memdev", MemDev).ToString()];
}
