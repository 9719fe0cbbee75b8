using System.Diagnostics.CodeAnalysis;

namespace Sealpod.Config;

/// <summary>
/// <c>machine_type</c>: a family and, for q35, an optional pinned version (<c>pc-q35-7.2</c>). Only what the QEMU driver
/// can launch parses, so a configuration Config accepts is one the driver can run.
/// </summary>
public sealed partial record QemuMachineType(QemuMachineFamily Family, string? Version = null)
{
    public static QemuMachineType Q35 { get; } = new(QemuMachineFamily.Q35);

    public static QemuMachineType Virt { get; } = new(QemuMachineFamily.Virt);

    public static QemuMachineType S390CcwVirtio { get; } = new(QemuMachineFamily.S390CcwVirtio);

    /// <summary>What <c>machine_type</c> accepts, for messages.</summary>
    public const string Expectation = "a QEMU machine type the driver supports (\"q35\", \"pc-q35-X.Y\", \"virt\", \"s390-ccw-virtio\")";

    /// <summary>The IBM Z machine, whose confidential guests are IBM Secure Execution guests.</summary>
    public bool IsS390 => Family == QemuMachineFamily.S390CcwVirtio;

    public static bool TryParse(string text, [NotNullWhen(true)] out QemuMachineType? type)
    {
        ArgumentNullException.ThrowIfNull(text);
        type = text switch
        {
            "q35" => Q35,
            "virt" => Virt,
            "s390-ccw-virtio" => S390CcwVirtio,
            _ when VersionedQ35().Match(text) is { Success: true } m => new QemuMachineType(QemuMachineFamily.Q35, m.Groups[1].Value),
            _ => null,
        };
        return type is not null;
    }

    /// <exception cref="FormatException"><paramref name="text"/> is not a supported machine type.</exception>
    public static QemuMachineType Parse(string text) =>
        TryParse(text, out var type) ? type : throw new FormatException($"expected {Expectation}, found \"{text}\"");

    /// <summary>The name QEMU's <c>-machine</c> takes.</summary>
    public override string ToString() => Family switch
    {
        QemuMachineFamily.Q35 => Version is null ? "q35" : "pc-q35-" + Version,
        QemuMachineFamily.Virt => "virt",
        _ => "s390-ccw-virtio",
    };

    [GeneratedRegex(@"^pc-q35-([0-9]+\.[0-9]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionedQ35();
}
