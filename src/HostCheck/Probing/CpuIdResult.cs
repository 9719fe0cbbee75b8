namespace Sealpod.HostCheck.Probing;

/// <summary>The four registers one CPUID leaf returns.</summary>
public readonly record struct CpuIdResult(uint Eax, uint Ebx, uint Ecx, uint Edx)
{
    public override string ToString() => $"eax=0x{Eax:x8} ebx=0x{Ebx:x8} ecx=0x{Ecx:x8} edx=0x{Edx:x8}";
}
