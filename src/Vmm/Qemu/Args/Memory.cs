namespace Sealpod.Vmm.Qemu.Args;

/// <summary><c>-m SIZEM[,slots=N,maxmem=MAXM]</c>; slots and maxmem enable memory hotplug, which TEEs forbid.</summary>
public sealed record Memory(long SizeMiB) : IQemuArgs
{
    /// <summary>DIMM slots for hotplug; null renders none.</summary>
    public int? Slots { get; init; }

    /// <summary>Upper bound for hotplugged memory in MiB; null renders none.</summary>
    public long? MaxMemMiB { get; init; }

    /// <inheritdoc />
    public IEnumerable<string> Render()
    {
        var options = new QemuOptionList(Megabytes(SizeMiB))
            .Add("slots", Slots)
            .Add("maxmem", MaxMemMiB is { } max ? Megabytes(max) : null);
        return ["-m", options.ToString()];
    }

    private static string Megabytes(long mib) => mib.ToString(CultureInfo.InvariantCulture) + "M";
}
