namespace Sealpod.Vmm.Qemu.Args;

/// <summary>
/// <c>-object s390-pv-guest,id=pv0</c> (QEMU 6.0+): IBM Secure Execution. The measured contents are in the encrypted
/// SE boot image passed as the kernel, so the object has no parameters.
/// </summary>
public sealed record S390PvGuest : ProtectionDevice
{
    /// <summary>The object id the machine's <c>confidential-guest-support</c> names (Kata's).</summary>
    public const string Id = "pv0";

    /// <inheritdoc />
    public override string? ObjectId => Id;

    /// <inheritdoc />
    public override IEnumerable<string> Render() => ["-object", new QemuOptionList("s390-pv-guest").Add("id", Id).ToString()];
}
