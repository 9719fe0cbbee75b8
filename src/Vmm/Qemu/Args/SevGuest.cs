namespace Sealpod.Vmm.Qemu.Args;

/// <summary>
/// <c>-object sev-guest,id=sev,cbitpos=N,reduced-phys-bits=N,policy=0x..[,dh-cert-file=..,session-file=..][,kernel-hashes=on]</c>
/// (QAPI <c>SevGuestProperties</c>, QEMU 2.12+). SEV-ES is the same object with policy bit 2 set. The DH certificate
/// and session files come from the guest owner's key broker for pre-attestation.
/// </summary>
public sealed record SevGuest : ProtectionDevice
{
    /// <summary>The object id the machine's <c>confidential-guest-support</c> names (Kata's).</summary>
    public const string Id = "sev";

    /// <summary>Policy bit 2: SEV-ES.</summary>
    public const uint EsPolicyBit = 0x4;

    /// <inheritdoc />
    public override string? ObjectId => Id;

    /// <summary><c>cbitpos</c>.</summary>
    public required int CBitPosition { get; init; }

    /// <summary><c>reduced-phys-bits</c>.</summary>
    public required int ReducedPhysBits { get; init; }

    /// <summary><c>policy</c>, rendered in hex.</summary>
    public required uint Policy { get; init; }

    /// <summary>Whether the policy selects SEV-ES.</summary>
    public bool IsEs => (Policy & EsPolicyBit) != 0;

    /// <summary><c>dh-cert-file</c>: the guest owner's base64 DH certificate (godh.b64).</summary>
    public string? DhCertFile { get; init; }

    /// <summary><c>session-file</c>: the base64 launch session (session_file.b64).</summary>
    public string? SessionFile { get; init; }

    /// <summary><c>kernel-hashes</c>: add kernel, initrd and command-line hashes to the measurement (QEMU 6.2+).</summary>
    public bool KernelHashes { get; init; }

    /// <inheritdoc />
    public override IEnumerable<string> Render()
    {
        if ((DhCertFile is null) != (SessionFile is null))
        {
            throw new InvalidOperationException("sev-guest: dh-cert-file and session-file are only valid together");
        }

        var options = new QemuOptionList("sev-guest")
            .Add("id", Id)
            .Add("cbitpos", CBitPosition)
            .Add("reduced-phys-bits", ReducedPhysBits)
            .Add("policy", "0x" + Policy.ToString("x", CultureInfo.InvariantCulture))
            .Add("dh-cert-file", DhCertFile)
            .Add("session-file", SessionFile)
            .Add("kernel-hashes", KernelHashes ? true : null);
        return ["-object", options.ToString()];
    }
}
