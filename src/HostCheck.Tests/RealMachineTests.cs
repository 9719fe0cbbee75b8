using System.Runtime.Intrinsics.X86;
using System.Text.RegularExpressions;
using CliWrap;
using CliWrap.Buffered;

namespace Sealpod.HostCheck.Tests;

/// <summary>
/// Runs the checks on the machine the tests run on and compares every verdict with an independent read of the same
/// facts (File/Directory, X86Base.CpuId, QEMU run directly), so the report must say what this host really has,
/// whatever host that is.
/// </summary>
public sealed partial class RealMachineTests
{
    private static readonly string s_cpuinfo = File.ReadAllText("/proc/cpuinfo");

    private static bool HasCpuFlag(string flag) =>
        FlagsLine().Match(s_cpuinfo).Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(flag);

    private static string? ReadTrimmed(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : null;

    private static bool ModuleFlagOn(string path) => ReadTrimmed(path) is "Y" or "y" or "1";

    private static async Task<CheckReport> RunAsync(string? configFile = null)
    {
        var probe = new LinuxHostProbe();
        ConfigLoadOutcome? config = configFile is null
            ? null
            : await new SealpodConfigLoader().LoadAsync(FixturePaths.Config(configFile), HostFacts.Gather(probe));
        return await new HostChecker().RunAsync(new CheckContext(probe, config));
    }

    [Fact]
    [Trait(TestCategories.Name, TestCategories.Root)]
    public async Task Report_matches_independent_reads_of_this_host()
    {
        var report = await RunAsync();

        Assert.Equal(File.ReadAllText("/proc/sys/kernel/osrelease").Trim(), report.KernelRelease);
        Assert.Equal(VendorLine().Match(s_cpuinfo).Groups[1].Value.Trim(), report.CpuVendor);

        var amd = report.CpuVendor == "AuthenticAMD";
        var virtFlag = amd ? "svm" : "vmx";
        var flags = report.Get(CheckIds.CpuVirtualization).EvidenceValue("/proc/cpuinfo flags")!.Split(' ');
        Assert.Equal(HasCpuFlag(virtFlag), flags.Contains(virtFlag));
        Assert.Equal(HasCpuFlag("hypervisor"), flags.Contains("hypervisor"));

        var vendorModule = amd ? "kvm_amd" : "kvm_intel";
        var backend = report.Get(CheckIds.KvmBackend);
        if (Directory.Exists($"/sys/module/{vendorModule}"))
        {
            Assert.Contains(vendorModule, backend.Summary, StringComparison.Ordinal);
            Assert.Equal(HasCpuFlag("hypervisor") ? CheckStatus.Warn : CheckStatus.Pass, backend.Status);
        }
        else if (Directory.Exists("/sys/module/kvm_pvm"))
        {
            Assert.Equal(CheckStatus.Warn, backend.Status);
            Assert.StartsWith("KVM is PVM-based", backend.Summary, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(CheckStatus.Fail, backend.Status);
        }

        Assert.Equal(File.Exists("/dev/kvm") ? CheckStatus.Pass : CheckStatus.Fail, report.Get(CheckIds.KvmDevice).Status);
        Assert.Equal(File.Exists("/dev/vhost-vsock") && Directory.Exists("/sys/module/vhost_vsock"), report.Get(CheckIds.VhostVsock).Status == CheckStatus.Pass);

        // No configuration: what the host lacks is a warning, what it has a pass.
        if (amd)
        {
            Assert.Equal(ModuleFlagOn("/sys/module/kvm_amd/parameters/sev_snp") ? CheckStatus.Pass : CheckStatus.Warn, report.Get(CheckIds.AmdSevSnp).Status);
            Assert.Equal(ModuleFlagOn("/sys/module/kvm_amd/parameters/sev") ? CheckStatus.Pass : CheckStatus.Warn, report.Get(CheckIds.AmdSev).Status);
            Assert.Equal(File.Exists("/dev/sev"), report.Get(CheckIds.AmdFirmware).Status == CheckStatus.Pass);
            Assert.Equal(HasCpuFlag("sme") ? CheckStatus.Pass : CheckStatus.Warn, report.Get(CheckIds.AmdSme).Status);
        }

        if (X86Base.IsSupported && (uint)X86Base.CpuId(unchecked((int)0x8000_0000), 0).Eax >= 0x8000_001F)
        {
            var (eax, ebx, _, _) = X86Base.CpuId(unchecked((int)0x8000_001F), 0);
            var cbitpos = report.Get(CheckIds.AmdCbitpos);
            if (amd && (eax & 2) != 0)
            {
                Assert.Equal($"cbitpos={ebx & 0x3F}, reduced-phys-bits={(ebx >> 6) & 0x3F}", cbitpos.Summary);
            }
            else if (amd)
            {
                Assert.Equal(CheckStatus.Warn, cbitpos.Status);
            }
        }

        Assert.Equal(File.Exists("/sys/fs/cgroup/cgroup.controllers") ? CheckStatus.Pass : CheckStatus.Warn, report.Get(CheckIds.HostCgroup).Status);
        Assert.Equal(ReadTrimmed("/sys/fs/selinux/enforce") == "1" ? CheckStatus.Fail : CheckStatus.Pass, report.Get(CheckIds.HostSelinux).Status);

        var anyTee = ModuleFlagOn("/sys/module/kvm_amd/parameters/sev") || ModuleFlagOn("/sys/module/kvm_intel/parameters/tdx");
        Assert.Equal(anyTee, report.GuestProtections[0] != GuestProtection.None);
    }

    [Fact]
    public async Task Snp_configuration_is_judged_by_what_this_host_and_its_qemu_really_offer()
    {
        var report = await RunAsync("configuration-qemu-snp.toml");

        var hostOffersSnp = ModuleFlagOn("/sys/module/kvm_amd/parameters/sev_snp");
        // The AMD checks judge AMD CPUs only; on any other CPU they are skipped and the configuration check
        // alone says the host cannot launch the guest.
        var amd = File.ReadLines("/proc/cpuinfo").Any(l => l.StartsWith("vendor_id", StringComparison.Ordinal) && l.EndsWith("AuthenticAMD", StringComparison.Ordinal));
        var snpCheck = report.Get(CheckIds.AmdSevSnp);
        Assert.Equal(hostOffersSnp ? CheckStatus.Pass : amd ? CheckStatus.Fail : CheckStatus.Skip, snpCheck.Status);
        Assert.Equal(hostOffersSnp ? CheckStatus.Pass : CheckStatus.Fail, report.Get(CheckIds.ConfigTeeHost).Status);
        if (!hostOffersSnp)
        {
            Assert.False(report.Ready);
            Assert.Equal(1, report.ExitCode);
            if (amd)
            {
                Assert.NotNull(snpCheck.Remedy);
            }
            else
            {
                Assert.Equal("not an AMD CPU", snpCheck.Summary);
            }
        }

        const string Qemu = "/usr/bin/qemu-system-x86_64";
        var teeObject = report.Get(CheckIds.ConfigTeeObject);
        if (!File.Exists(Qemu))
        {
            Assert.Equal(CheckStatus.Skip, teeObject.Status);
            return;
        }

        var objects = (await CliWrap.Cli.Wrap(Qemu).WithArguments(["-object", "help"]).ExecuteBufferedAsync()).StandardOutput;
        var hasSnpObject = objects.Split('\n').Any(l => l.Trim() == "sev-snp-guest");
        Assert.Equal(hasSnpObject ? CheckStatus.Pass : CheckStatus.Fail, teeObject.Status);
        Assert.Equal(objects.Split('\n').Any(l => l.Trim() == "sev-guest"), teeObject.EvidenceValue($"{Qemu} -object help")!.StartsWith("sev-guest", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sealpod_binary_runs_as_a_process_and_its_exit_status_matches_its_json()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "sealpod.dll");
        var process = await CliWrap.Cli.Wrap("dotnet")
            .WithArguments([dll, "check", "--json", "--config", FixturePaths.Config("configuration-qemu-snp.toml")])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();

        Assert.Equal("", process.StandardError);
        using var document = JsonDocument.Parse(process.StandardOutput);
        Assert.Equal(document.RootElement.GetProperty("exitCode").GetInt32(), process.ExitCode);
        Assert.Equal(document.RootElement.GetProperty("ready").GetBoolean(), process.ExitCode == 0);
        Assert.Equal(File.ReadAllText("/proc/sys/kernel/osrelease").Trim(), document.RootElement.GetProperty("host").GetProperty("kernel").GetString());
    }

    [GeneratedRegex(@"^flags\s*:(.*)$", RegexOptions.Multiline)]
    private static partial Regex FlagsLine();

    [GeneratedRegex(@"^vendor_id\s*:(.*)$", RegexOptions.Multiline)]
    private static partial Regex VendorLine();
}
