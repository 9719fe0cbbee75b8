namespace Sealpod.Vmm.Qemu.Args;

/// <summary>
/// <c>-object sev-snp-guest,id=snp,cbitpos=N,reduced-phys-bits=N,kernel-hashes=on[,id-block=..,id-auth=..],policy=0x..[,host-data=..][,certs-path=..]</c>
/// (QAPI <c>SevSnpGuestProperties</c>, QEMU 9.1+). With <c>kernel-hashes=on</c> the kernel, initrd and command line are
/// part of the launch measurement; <c>host-data</c> carries the Init-Data digest into every attestation report.
/// </summary>
public sealed record SevSnpGuest : ProtectionDevice
{
    /// <summary>The object id the machine's <c>confidential-guest-support</c> names (Kata's).</summary>
    public const string Id = "snp";

    /// <inheritdoc />
    public override string? ObjectId => Id;

    /// <summary><c>cbitpos</c>: from CPUID 0x8000001F EBX[5:0].</summary>
    public required int CBitPosition { get; init; }

    /// <summary><c>reduced-phys-bits</c>: from CPUID 0x8000001F EBX[11:6].</summary>
    public required int ReducedPhysBits { get; init; }

    /// <summary><c>policy</c> (SNP_LAUNCH_START), rendered in hex as the ABI documents it.</summary>
    public required ulong Policy { get; init; }

    /// <summary><c>kernel-hashes</c>: measure kernel, initrd and command line (Kata always sets it).</summary>
    public bool KernelHashes { get; init; } = true;

    /// <summary><c>id-block</c>: base64 96-byte ID block; rendered only together with <see cref="IdAuth"/>.</summary>
    public string? IdBlock { get; init; }

    /// <summary><c>id-auth</c>: base64 4096-byte ID authentication information.</summary>
    public string? IdAuth { get; init; }

    /// <summary><c>host-data</c>: 32 bytes, rendered as base64.</summary>
    public IReadOnlyList<byte>? HostData { get; init; }

    /// <summary><c>certs-path</c> (AMD's QEMU only): the VCEK chain for extended guest requests.</summary>
    public string? CertsPath { get; init; }

    /// <inheritdoc />
    public override IEnumerable<string> Render() => Render(redactHostData: false);

    /// <inheritdoc />
    public override IEnumerable<string> RenderForLog() => Render(redactHostData: true);

    private string[] Render(bool redactHostData)
    {
        if ((IdBlock is null) != (IdAuth is null))
        {
            throw new InvalidOperationException("sev-snp-guest: id-block and id-auth are only valid together");
        }

        if (HostData is { Count: not 32 })
        {
            throw new InvalidOperationException($"sev-snp-guest: host-data must be 32 bytes, not {HostData.Count}");
        }

        var options = new QemuOptionList("sev-snp-guest")
            .Add("id", Id)
            .Add("cbitpos", CBitPosition)
            .Add("reduced-phys-bits", ReducedPhysBits)
            .Add("kernel-hashes", KernelHashes)
            .Add("id-block", IdBlock)
            .Add("id-auth", IdAuth)
            .Add("policy", "0x" + Policy.ToString("x", CultureInfo.InvariantCulture))
            .Add("host-data", HostData is null ? null : redactHostData ? KernelParameterRedaction.Placeholder : Convert.ToBase64String([.. HostData]))
            .Add("certs-path", CertsPath);
        return ["-object", options.ToString()];
    }
}
