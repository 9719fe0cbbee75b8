namespace Sealpod.Config;

/// <summary>
/// What <c>machine_accelerators</c> and <c>cpu_features</c> may add to QEMU's <c>-machine</c> and <c>-cpu</c>. Both are
/// appended to QEMU's command line, so a free-form value could name host files (<c>firmware=</c>, <c>initrd=</c>,
/// <c>kernel=</c>, <c>dtb=</c>) past every <c>valid_*_paths</c> list, or replace the TEE object Sealpod chose
/// (<c>confidential-guest-support=</c>). Only switches and numbers that name nothing on the host are accepted.
/// </summary>
internal static partial class QemuPropertyRules
{
    private static readonly string[] OnOff = ["on", "off"];
    private static readonly string[] OnOffAuto = ["on", "off", "auto"];

    /// <summary>q35/pc, virt and s390-ccw-virtio machine properties that are switches or enumerations, with their values.</summary>
    private static readonly FrozenDictionary<string, string[]> MachineProperties = new Dictionary<string, string[]>
    {
        ["nvdimm"] = OnOff,
        ["nvdimm-persistence"] = ["cpu", "mem-ctrl"],
        ["smm"] = OnOffAuto,
        ["vmport"] = OnOffAuto,
        ["acpi"] = OnOffAuto,
        ["usb"] = OnOff,
        ["hpet"] = OnOff,
        ["sata"] = OnOff,
        ["smbus"] = OnOff,
        ["pit"] = OnOff,
        ["pic"] = OnOff,
        ["i8042"] = OnOff,
        ["graphics"] = OnOff,
        ["dump-guest-core"] = OnOff,
        ["mem-merge"] = OnOff,
        ["suppress-vmdesc"] = OnOff,
        ["default-bus-bypass-iommu"] = OnOff,
        ["hmat"] = OnOff,
        ["gic-version"] = ["2", "3", "4", "host", "max"],
        ["highmem"] = OnOff,
        ["its"] = OnOff,
        ["ras"] = OnOff,
        ["iommu"] = ["none", "smmuv3"],
        ["aes-key-wrap"] = OnOff,
        ["dea-key-wrap"] = OnOff,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>-cpu properties that take a number rather than on/off.</summary>
    private static readonly FrozenSet<string> NumericCpuProperties =
        new[] { "phys-bits", "host-phys-bits-limit", "level", "xlevel", "min-level", "min-xlevel" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The machine properties accepted, for messages.</summary>
    public static string MachineExpectation { get; } =
        "comma-separated machine switches (" + string.Join(", ", MachineProperties.Keys.Order(StringComparer.Ordinal)) + ") set to on/off or their listed values";

    public const string CpuExpectation =
        "comma-separated CPU features: +name, -name, name=on|off, or phys-bits/host-phys-bits-limit/level/xlevel=N";

    /// <summary>Null when every item of <paramref name="value"/> is a known machine switch, else the first refused.</summary>
    public static string? CheckMachineAccelerators(string value)
    {
        foreach (var item in Items(value))
        {
            var (name, setting) = Split(item);
            var known = MachineProperties.TryGetValue(name, out var values);
            var ok = known && (setting is null ? values!.SequenceEqual(OnOff) || values!.SequenceEqual(OnOffAuto) : values!.Contains(setting, StringComparer.Ordinal));
            if (!ok)
            {
                return $"property {ValueText.Quote(item)} is not allowed: expected {MachineExpectation}";
            }
        }

        return null;
    }

    /// <summary>Null when every item of <paramref name="value"/> is a CPU feature switch or a known number, else the first refused.</summary>
    public static string? CheckCpuFeatures(string value)
    {
        foreach (var item in Items(value))
        {
            var ok = item[0] is '+' or '-'
                ? FeatureName().IsMatch(item[1..])
                : Split(item) switch
                {
                    (var name, { } setting) when NumericCpuProperties.Contains(name) =>
                        uint.TryParse(setting, NumberStyles.None, CultureInfo.InvariantCulture, out _),
                    (var name, var setting) => FeatureName().IsMatch(name) && setting is null or "on" or "off",
                };
            if (!ok)
            {
                return $"feature {ValueText.Quote(item)} is not allowed: expected {CpuExpectation}";
            }
        }

        return null;
    }

    private static IEnumerable<string> Items(string value) =>
        value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static (string Name, string? Setting) Split(string item)
    {
        var equals = item.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? (item, null) : (item[..equals], item[(equals + 1)..]);
    }

    // CPUID feature names as QEMU spells them: sse4.2, avx512-vp2intersect, hv-relaxed, pmu.
    [GeneratedRegex(@"^[a-z0-9][a-z0-9_.-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex FeatureName();
}
