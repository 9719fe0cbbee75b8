namespace Sealpod.Vmm.Qemu.Args;

/// <summary>
/// The guest CPU model. For SEV-SNP the model is part of the attestation identity, so it is a
/// value with a name rather than a string assembled where it is used.
/// </summary>
public abstract record CpuModel
{
    /// <summary>Pass the host CPU through (KVM only).</summary>
    public static CpuModel Host { get; } = new NamedCpuModel("host");

    /// <summary>Everything the accelerator can emulate; the TCG counterpart of <see cref="Host"/>.</summary>
    public static CpuModel Max { get; } = new NamedCpuModel("max");

    /// <summary>QEMU's name for the model.</summary>
    public abstract string Name { get; }
}
