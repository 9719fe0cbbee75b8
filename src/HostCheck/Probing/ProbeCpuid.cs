namespace Sealpod.HostCheck.Probing;

/// <summary>The probe's CPUID as the TEE planner asks for it, so a fixture host answers the planner as it answers the checks.</summary>
internal sealed class ProbeCpuid(IHostProbe probe) : ICpuid
{
    // The extended-range leaf is the one every TEE leaf the planner reads hangs off.
    public bool IsSupported => probe.CpuId(0x8000_0000, 0) is not null;

    // The probe says null above the maximum leaf; the planner's contract is that such a leaf reads as zeros.
    public CpuidResult Query(uint leaf, uint subleaf = 0) =>
        probe.CpuId(leaf, subleaf) is { } r ? new CpuidResult(r.Eax, r.Ebx, r.Ecx, r.Edx) : default;
}
