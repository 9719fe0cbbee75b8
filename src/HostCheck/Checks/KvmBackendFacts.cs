namespace Sealpod.HostCheck.Checks;

/// <summary>
/// Which module serves /dev/kvm and whether this host is itself a guest. PVM ("Pagetable-based Virtual Machine")
/// registers as the kvm_pvm module and needs no svm/vmx; a hypervisor CPUID signature or the "hypervisor" flag means
/// KVM here is nested (or PVM inside a VM).
/// </summary>
internal sealed record KvmBackendFacts(ModuleStatus? VendorModule, bool Pvm, string? Hypervisor, IReadOnlyList<Evidence> Evidence)
{
    public static KvmBackendFacts Detect(HostFacts host)
    {
        var evidence = new List<Evidence>();
        ModuleStatus? vendor = host.Cpu.Vendor switch
        {
            CpuVendor.Amd => host.Modules.Resolve("kvm_amd"),
            CpuVendor.Intel => host.Modules.Resolve("kvm_intel"),
            _ => null,
        };
        if (vendor is not null)
        {
            evidence.AddRange(vendor.Evidence.Take(1));
        }

        var pvm = host.Modules.Resolve("kvm_pvm");
        evidence.AddRange(pvm.Evidence.Take(1));
        if (host.CommandLine.Describe("nested_pvm") is { } nestedPvm)
        {
            evidence.Add(new(KernelCommandLine.Path, nestedPvm));
        }

        string? hypervisor = null;
        if (host.Cpu.Architecture == CpuArchitecture.X86_64)
        {
            var signature = HypervisorSignature.Read(host.Probe);
            evidence.Add(new("cpuid 0x40000000", signature is null ? "no hypervisor signature" : $"signature \"{signature}\""));
            var flag = host.Cpu.HasFlag("hypervisor");
            evidence.Add(new($"{CpuInfo.Path} flags", flag ? "hypervisor" : "no-hypervisor"));
            hypervisor = signature is not null ? HypervisorSignature.FriendlyName(signature) : flag ? "hypervisor" : null;
        }

        return new KvmBackendFacts(vendor, pvm.Present, hypervisor, evidence);
    }
}
