namespace Sealpod.Tee.Launch;

/// <summary>An ordinary VM.</summary>
public sealed record NoTeeLaunch : TeeLaunch
{
    /// <inheritdoc />
    public override ProtectionKind Kind => ProtectionKind.None;
}
