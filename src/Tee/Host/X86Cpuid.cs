using System.Runtime.Intrinsics.X86;

namespace Sealpod.Tee.Host;

/// <summary>The CPU this process runs on, through <see cref="X86Base.CpuId"/>.</summary>
public sealed class X86Cpuid : ICpuid
{
    /// <summary>The one instance: the hardware has no state worth a second.</summary>
    public static X86Cpuid Instance { get; } = new();

    private X86Cpuid()
    {
    }

    /// <inheritdoc />
    public bool IsSupported => X86Base.IsSupported;

    /// <inheritdoc />
    public CpuidResult Query(uint leaf, uint subleaf = 0)
    {
        if (!X86Base.IsSupported)
        {
            return default;
        }

        var (eax, ebx, ecx, edx) = X86Base.CpuId(unchecked((int)leaf), unchecked((int)subleaf));
        return new CpuidResult(unchecked((uint)eax), unchecked((uint)ebx), unchecked((uint)ecx), unchecked((uint)edx));
    }
}
