namespace Sealpod.Tee.Launch;

/// <summary>An Intel TDX guest (QEMU <c>tdx-guest</c>, Cloud Hypervisor <c>platform.tdx</c>).</summary>
public sealed record TdxLaunch : TeeLaunch
{
    /// <inheritdoc />
    public override ProtectionKind Kind => ProtectionKind.Tdx;

    /// <summary>TDVF (QEMU) or td-shim (Cloud Hypervisor).</summary>
    public required string Firmware { get; init; }

    /// <summary>Where the guest's quote requests go.</summary>
    public required QuoteGenerationSocket QuoteGeneration { get; init; }

    /// <summary>Disable EPT-violation #VE (runtime-rs sets it; Linux guests require it).</summary>
    public bool SeptVeDisable { get; init; } = true;

    /// <summary>The Init-Data digest bound as MRCONFIGID, if the pod has Init-Data.</summary>
    public InitDataDigest? InitData { get; init; }

    /// <summary>The 48 MRCONFIGID bytes, or null without Init-Data.</summary>
    public byte[]? MrConfigId => InitData?.ToTdxMrConfigId();
}
