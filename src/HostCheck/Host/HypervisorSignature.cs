namespace Sealpod.HostCheck.Host;

/// <summary>Reads the hypervisor vendor signature of CPUID leaf 0x40000000 (EBX, ECX, EDX as 12 ASCII bytes).</summary>
public static class HypervisorSignature
{
    public const uint Leaf = 0x4000_0000;

    /// <summary>A hypervisor's common name for its signature ("KVMKVMKVM" is KVM); unknown signatures are returned as read.</summary>
    public static string FriendlyName(string signature) => signature switch
    {
        "KVMKVMKVM" => "KVM",
        "Microsoft Hv" => "Hyper-V",
        "VMwareVMware" => "VMware",
        "XenVMMXenVMM" => "Xen",
        "TCGTCGTCGTCG" => "QEMU TCG",
        "VBoxVBoxVBox" => "VirtualBox",
        "bhyve bhyve" => "bhyve",
        "ACRNACRNACRN" => "ACRN",
        _ => signature,
    };

    /// <summary>"KVMKVMKVM", "Microsoft Hv", "VMwareVMware"...; null when the CPU reports no hypervisor.</summary>
    public static string? Read(IHostProbe probe)
    {
        if (probe.CpuId(Leaf, 0) is not { } regs)
        {
            return null;
        }

        Span<byte> bytes = stackalloc byte[12];
        BitConverter.TryWriteBytes(bytes, regs.Ebx);
        BitConverter.TryWriteBytes(bytes[4..], regs.Ecx);
        BitConverter.TryWriteBytes(bytes[8..], regs.Edx);
        var text = Encoding.ASCII.GetString(bytes).TrimEnd('\0', ' ');
        return text.Length == 0 ? null : text;
    }
}
