namespace Sealpod.Vmm.Qemu.Args;

/// <summary>
/// The confidential-computing technology protecting the guest. Each TEE (SEV, SEV-SNP, TDX,
/// IBM SE) is its own record rendering its <c>-object</c>, and the machine references it
/// through <c>confidential-guest-support</c>; so a TEE is a type, never a string flag.
/// </summary>
public abstract record ProtectionDevice : IQemuArgs
{
    /// <summary>No TEE: an ordinary VM.</summary>
    public static ProtectionDevice None { get; } = new NoProtection();

    /// <summary>
    /// The id of the <c>-object</c> the machine points to with <c>confidential-guest-support</c>,
    /// or null when the guest is not protected.
    /// </summary>
    public abstract string? ObjectId { get; }

    /// <summary>Whether the guest's memory is protected from the host (no host-side hotplug of memory, no MMIO virtio).</summary>
    public bool IsConfidential => ObjectId is not null;

    /// <inheritdoc />
    public abstract IEnumerable<string> Render();

    /// <inheritdoc />
    public virtual IEnumerable<string> RenderForLog() => Render();
}
