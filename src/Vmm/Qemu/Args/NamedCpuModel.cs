namespace Sealpod.Vmm.Qemu.Args;

/// <summary>A CPU model known to QEMU by name, such as <c>host</c>, <c>max</c> or <c>EPYC-v4</c>.</summary>
public sealed record NamedCpuModel : CpuModel
{
    /// <summary>Creates a model from QEMU's name for it.</summary>
    public NamedCpuModel(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <inheritdoc />
    public override string Name { get; }
}
