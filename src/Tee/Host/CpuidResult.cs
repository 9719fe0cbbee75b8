namespace Sealpod.Tee.Host;

/// <summary>The four registers one CPUID leaf returns.</summary>
public readonly record struct CpuidResult(uint Eax, uint Ebx, uint Ecx, uint Edx);
