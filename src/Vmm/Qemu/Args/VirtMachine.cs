namespace Sealpod.Vmm.Qemu.Args;

/// <summary>The Arm64 machine (<c>virt</c>).</summary>
public sealed record VirtMachine : Machine
{
    /// <inheritdoc />
    public override string Type => "virt";

    /// <summary><c>gic-version</c> (<c>host</c>, <c>3</c>...); null leaves QEMU's default.</summary>
    public string? GicVersion { get; init; }

    /// <inheritdoc />
    protected override void AddTypeOptions(QemuOptionList options) => options.Add("gic-version", GicVersion);
}
