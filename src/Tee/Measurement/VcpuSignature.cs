namespace Sealpod.Tee.Measurement;

/// <summary>
/// The CPUID Fn0000_0001 EAX signature (family, model, stepping) QEMU puts in a vCPU's RDX at reset, which SEV-ES and
/// SNP measure in every VMSA; named CPU models map to QEMU's builtin_x86_defs.
/// </summary>
public static class VcpuSignature
{
    private static readonly Dictionary<string, uint> Models = new(StringComparer.Ordinal)
    {
        ["EPYC"] = Of(23, 1, 2),
        ["EPYC-v1"] = Of(23, 1, 2),
        ["EPYC-v2"] = Of(23, 1, 2),
        ["EPYC-IBPB"] = Of(23, 1, 2),
        ["EPYC-v3"] = Of(23, 1, 2),
        ["EPYC-v4"] = Of(23, 1, 2),
        ["EPYC-Rome"] = Of(23, 49, 0),
        ["EPYC-Rome-v1"] = Of(23, 49, 0),
        ["EPYC-Rome-v2"] = Of(23, 49, 0),
        ["EPYC-Rome-v3"] = Of(23, 49, 0),
        ["EPYC-Milan"] = Of(25, 1, 1),
        ["EPYC-Milan-v1"] = Of(25, 1, 1),
        ["EPYC-Milan-v2"] = Of(25, 1, 1),
        ["EPYC-Genoa"] = Of(25, 17, 0),
        ["EPYC-Genoa-v1"] = Of(25, 17, 0),
        ["EPYC-Turin"] = Of(26, 0, 0),
    };

    /// <summary>The CPU models with a known signature.</summary>
    public static IReadOnlyCollection<string> KnownModels => Models.Keys;

    /// <summary>The signature of a QEMU CPU model, or null when unknown.</summary>
    public static uint? ForModel(string model) => Models.TryGetValue(model, out var signature) ? signature : null;

    /// <summary>
    /// This machine's signature, CPUID Fn0000_0001 EAX: what KVM puts in each vCPU's RDX for <c>-cpu host</c>; null on a
    /// CPU without CPUID.
    /// </summary>
    public static uint? OfHost(ICpuid cpuid)
    {
        ArgumentNullException.ThrowIfNull(cpuid);
        return cpuid.IsSupported ? cpuid.Query(1).Eax : null;
    }

    /// <summary>
    /// Encodes family, model and stepping as CPUID does (AMD CPUID Specification #25481): families above 0xF as 0xF plus
    /// an extended family, models split into base and extended nibbles.
    /// </summary>
    public static uint Of(int family, int model, int stepping)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(family);
        ArgumentOutOfRangeException.ThrowIfNegative(model);
        ArgumentOutOfRangeException.ThrowIfNegative(stepping);
        var (familyLow, familyHigh) = family > 0xF ? (0xF, (family - 0xF) & 0xFF) : (family, 0);
        return (uint)((familyHigh << 20) | (((model >> 4) & 0xF) << 16) | (familyLow << 8) | ((model & 0xF) << 4) | (stepping & 0xF));
    }
}
