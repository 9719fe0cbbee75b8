using Sealpod.Tee.Host;

namespace Sealpod.Tee.TestSupport;

/// <summary>A CPU described by its leaves, standing in for hardware this machine is not (an SEV-SNP EPYC).</summary>
public sealed class FakeCpuid(IReadOnlyDictionary<uint, CpuidResult> leaves, bool supported = true) : ICpuid
{
    /// <summary>An EPYC (Milan) with SME, SEV, SEV-ES and SEV-SNP, C-bit 51, one reduced physical address bit.</summary>
    public static FakeCpuid Milan { get; } = new(new Dictionary<uint, CpuidResult>
    {
        [0x80000000] = new(0x80000023, 0, 0, 0),
        [AmdMemoryEncryption.Leaf] = new(0b1_1011, (1 << 6) | 51, 0, 0),
    });

    public bool IsSupported { get; } = supported;

    public CpuidResult Query(uint leaf, uint subleaf = 0) => leaves.TryGetValue(leaf, out var r) ? r : default;
}
