namespace Sealpod.Tee.Host;

/// <summary>Executes CPUID; an interface so tests can describe a CPU this machine is not.</summary>
public interface ICpuid
{
    /// <summary>False on CPUs without the instruction (non-x86): every leaf then reads as zeros.</summary>
    bool IsSupported { get; }

    /// <summary>Runs CPUID for <paramref name="leaf"/> and <paramref name="subleaf"/>.</summary>
    CpuidResult Query(uint leaf, uint subleaf = 0);
}
