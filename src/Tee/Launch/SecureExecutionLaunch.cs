namespace Sealpod.Tee.Launch;

/// <summary>
/// An IBM Secure Execution guest (QEMU <c>s390-pv-guest</c> on <c>s390-ccw-virtio</c>). Everything that is measured
/// lives in the encrypted SE image given as the kernel, so there is nothing else to resolve.
/// </summary>
public sealed record SecureExecutionLaunch : TeeLaunch
{
    /// <inheritdoc />
    public override ProtectionKind Kind => ProtectionKind.SecureExecution;
}
