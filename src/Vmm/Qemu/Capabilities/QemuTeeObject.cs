namespace Sealpod.Vmm.Qemu.Capabilities;

/// <summary>The QEMU object each TEE needs and the first QEMU release that has it (qapi/qom.json "Since").</summary>
/// <param name="ObjectType">The <c>-object</c> type.</param>
/// <param name="MinimumVersion">The QEMU release that introduced it.</param>
/// <param name="ConfigurationKey">The key that asked for the TEE, for messages.</param>
public sealed record QemuTeeObject(string ObjectType, string MinimumVersion, string ConfigurationKey)
{
    /// <summary>The object for <paramref name="kind"/>, or null when there is none (no TEE).</summary>
    public static QemuTeeObject? For(ProtectionKind kind) => kind switch
    {
        ProtectionKind.SevSnp => new("sev-snp-guest", "9.1", "sev_snp_guest = true"),
        ProtectionKind.Sev or ProtectionKind.SevEs => new("sev-guest", "2.12", "confidential_guest = true on an SEV host"),
        ProtectionKind.Tdx => new("tdx-guest", "10.1", "confidential_guest = true on a TDX host"),
        ProtectionKind.SecureExecution => new("s390-pv-guest", "6.0", "confidential_guest = true with machine_type = \"s390-ccw-virtio\""),
        _ => null,
    };
}
