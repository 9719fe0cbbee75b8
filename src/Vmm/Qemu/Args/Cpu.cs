namespace Sealpod.Vmm.Qemu.Args;

/// <summary><c>-cpu MODEL[,feature...]</c>, features as Kata's <c>cpu_features</c> (<c>pmu=off</c>, <c>-vmx</c>).</summary>
public sealed record Cpu(CpuModel Model) : IQemuArgs
{
    /// <summary>Feature items, each <c>name=value</c>, <c>+flag</c> or <c>-flag</c>, checked to contain no comma.</summary>
    public IReadOnlyList<string> Features { get; init; } = [];

    /// <inheritdoc />
    public IEnumerable<string> Render()
    {
        var options = new QemuOptionList(Model.Name);
        foreach (var feature in Features)
        {
            options.AddRaw(feature);
        }

        return ["-cpu", options.ToString()];
    }
}
