namespace Sealpod.Tee.Launch;

/// <summary>An AMD SEV-SNP guest (QEMU <c>sev-snp-guest</c>, Cloud Hypervisor <c>platform.sev_snp</c>).</summary>
public sealed record SevSnpLaunch : TeeLaunch
{
    /// <inheritdoc />
    public override ProtectionKind Kind => ProtectionKind.SevSnp;

    /// <summary>SNP_LAUNCH_START policy (<c>snp_guest_policy</c>).</summary>
    public required ulong Policy { get; init; }

    /// <summary>C-bit position from CPUID 0x8000001F.</summary>
    public required int CBitPosition { get; init; }

    /// <summary>Physical address bits lost to encryption, from CPUID 0x8000001F.</summary>
    public required int ReducedPhysBits { get; init; }

    /// <summary>The measured firmware (<c>firmware</c>; AMDSEV.fd for QEMU, unused with an IGVM payload).</summary>
    public string Firmware { get; init; } = string.Empty;

    /// <summary>The IGVM payload (Cloud Hypervisor <c>igvm</c>).</summary>
    public string Igvm { get; init; } = string.Empty;

    /// <summary>Base64 ID block (<c>snp_id_block</c>), set together with <see cref="IdAuth"/>.</summary>
    public string? IdBlock { get; init; }

    /// <summary>Base64 ID authentication structure (<c>snp_id_auth</c>).</summary>
    public string? IdAuth { get; init; }

    /// <summary>The host's certificate chain for the guest's extended reports (<c>snp_certs_path</c>), if configured.</summary>
    public string? CertsPath { get; init; }

    /// <summary>The Init-Data digest bound as HOST_DATA, if the pod has Init-Data.</summary>
    public InitDataDigest? InitData { get; init; }

    /// <summary>The 32 HOST_DATA bytes, or null when there is no Init-Data (the hardware then reports zeros).</summary>
    public byte[]? HostData => InitData?.ToSnpHostData();
}
