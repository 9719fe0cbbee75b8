namespace Sealpod.Tee.Launch;

/// <summary>An AMD SEV or SEV-ES guest (QEMU <c>sev-guest</c>); policy bit 2 selects ES.</summary>
public sealed record SevLaunch : TeeLaunch
{
    /// <summary>SEV policy bit 2: encrypt the register state too.</summary>
    public const uint EsPolicyBit = 0x4;

    /// <inheritdoc />
    public override ProtectionKind Kind => IsEs ? ProtectionKind.SevEs : ProtectionKind.Sev;

    /// <summary>The launch policy (<c>sev_guest_policy</c>).</summary>
    public required uint Policy { get; init; }

    /// <summary>C-bit position from CPUID 0x8000001F.</summary>
    public required int CBitPosition { get; init; }

    /// <summary>Physical address bits lost to encryption, from CPUID 0x8000001F.</summary>
    public required int ReducedPhysBits { get; init; }

    /// <summary>OVMF, attached as read-only pflash.</summary>
    public required string Firmware { get; init; }

    /// <summary>Whether the policy selects SEV-ES.</summary>
    public bool IsEs => (Policy & EsPolicyBit) != 0;

    /// <summary>Pre-attestation with simple-kbs before the guest runs, or null.</summary>
    public SevPreAttestationSettings? PreAttestation { get; init; }

    /// <summary>
    /// Whether QEMU adds the kernel, initrd and command-line hashes to the launch measurement (<c>kernel-hashes=on</c>):
    /// with pre-attestation the key broker checks a digest that includes them.
    /// </summary>
    public bool KernelHashes => PreAttestation is not null;

    /// <summary>
    /// The launch <paramref name="config"/>'s SEV keys describe (policy, firmware, pre-attestation), with the C-bit
    /// values of the host it is planned for (the planner's) or measured for (zero: they shape no measurement).
    /// </summary>
    public static SevLaunch From(QemuConfig config, int cBitPosition, int reducedPhysBits)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new SevLaunch
        {
            Policy = config.SevGuestPolicy,
            CBitPosition = cBitPosition,
            ReducedPhysBits = reducedPhysBits,
            Firmware = config.Firmware,
            PreAttestation = config.GuestPreAttestation ? SevPreAttestationSettings.From(config) : null,
        };
    }
}
