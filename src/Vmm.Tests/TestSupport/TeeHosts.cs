using Sealpod.Tee.Host;

namespace Sealpod.Vmm.Tests.TestSupport;

/// <summary>
/// Hosts with a TEE, described by a probe root of sysfs files and a CPUID answer, because this machine has none.
/// Only the host checks are simulated; QEMU, QMP and the key broker stay real.
/// </summary>
public sealed class TeeHosts : IDisposable
{
    private readonly TempDirectory _root = new();

    private TeeHosts(params (string Path, string Content)[] files)
    {
        foreach (var (path, content) in files)
        {
            _root.Write(path, content);
        }
    }

    public static TeeHosts SevSnp() => new((TeeHostSupport.SevSnpParameter, "Y\n"), (TeeHostSupport.SevParameter, "Y\n"), (TeeHostSupport.SevEsParameter, "Y\n"), (TeeHostSupport.SevDevice, string.Empty));

    public static TeeHosts Sev() => new((TeeHostSupport.SevParameter, "Y\n"), (TeeHostSupport.SevDevice, string.Empty));

    public static TeeHosts Tdx() => new((TeeHostSupport.TdxParameter, "Y\n"));

    /// <summary>An IBM Z with the ultravisor, booted with prot_virt=1.</summary>
    public static TeeHosts S390() => new((TeeHostSupport.CpuInfo, "facilities      : 0 1 2 158\n"), (TeeHostSupport.KernelCommandLine, "prot_virt=1\n"));

    /// <summary>Planner options for this host with an EPYC's CPUID (C-bit 51, one reduced bit).</summary>
    public TeePlannerOptions Options => new() { ProbeRoot = _root.Path, Cpuid = FakeCpuid.Milan };

    public void Dispose() => _root.Dispose();
}
