namespace Sealpod.Vmm.Qemu.Args;

/// <summary>The s390x machine (<c>s390-ccw-virtio</c>), the one IBM Secure Execution runs on.</summary>
public sealed record S390CcwVirtioMachine : Machine
{
    /// <inheritdoc />
    public override string Type => "s390-ccw-virtio";
}
