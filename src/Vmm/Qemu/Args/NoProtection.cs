namespace Sealpod.Vmm.Qemu.Args;

/// <summary>An unprotected guest: nothing to render.</summary>
public sealed record NoProtection : ProtectionDevice
{
    /// <inheritdoc />
    public override string? ObjectId => null;

    /// <inheritdoc />
    public override IEnumerable<string> Render() => [];
}
