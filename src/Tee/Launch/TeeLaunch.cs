namespace Sealpod.Tee.Launch;

/// <summary>
/// The TEE a guest is launched with and every value its launch needs, resolved from the configuration and the host
/// (policy, C-bit position, Init-Data binding, firmware). One record per technology, so a driver matches on the type
/// and renders what it knows: QEMU an <c>-object</c>, Cloud Hypervisor its <c>platform</c>/<c>payload</c> fields.
/// </summary>
public abstract record TeeLaunch
{
    /// <summary>No TEE.</summary>
    public static TeeLaunch None { get; } = new NoTeeLaunch();

    /// <summary>The technology.</summary>
    public abstract ProtectionKind Kind { get; }

    /// <summary>Whether guest memory is protected from the host (no memory hot-plug, no NVDIMM, measured firmware).</summary>
    public bool IsConfidential => Kind != ProtectionKind.None;
}
