namespace Sealpod.Tee.Tests;

/// <summary>The shipped configuration files get the TEE their names promise on a host that has it, and fail on this one.</summary>
public sealed class ShippedConfigPlanTests
{
    public static TheoryData<string, string, ProtectionKind> Files => new()
    {
        { "configuration-qemu-snp.toml", "snp", ProtectionKind.SevSnp },
        { "configuration-qemu-tdx.toml", "tdx", ProtectionKind.Tdx },
        { "configuration-qemu-sev.toml", "sev", ProtectionKind.Sev },
        { "configuration-qemu-se.toml", "s390", ProtectionKind.SecureExecution },
        { "configuration-clh-snp.toml", "snp", ProtectionKind.SevSnp },
        { "configuration-clh-tdx.toml", "tdx", ProtectionKind.Tdx },
        { "configuration-qemu-coco-dev.toml", "none", ProtectionKind.None },
        { "configuration-qemu.toml", "none", ProtectionKind.None },
        { "configuration-clh.toml", "none", ProtectionKind.None },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Each_file_plans_its_tee_on_a_matching_host(string file, string hostKind, ProtectionKind expected)
    {
        using var host = hostKind switch
        {
            "snp" => FakeHost.SevSnp(),
            "tdx" => FakeHost.Tdx(),
            "sev" => FakeHost.Sev(),
            "s390" => FakeHost.Empty().With(TeeHostSupport.CpuInfo, "facilities : 0 158\n").With(TeeHostSupport.KernelCommandLine, "prot_virt=1\n"),
            _ => FakeHost.Empty(),
        };
        var config = await new ConfigurationLoader().LoadFileAsync(Repository.Combine("configs", file));

        var plan = new TeePlanner(new TeePlannerOptions { ProbeRoot = host.Root, Cpuid = FakeCpuid.Milan }).Plan(config.Hypervisor);

        Assert.Equal(expected, plan.Launch.Kind);
        if (plan.Launch is SevLaunch sev)
        {
            Assert.NotNull(sev.PreAttestation);
            Assert.True(sev.KernelHashes);
        }
    }

    [HostWithoutSnpTheory]
    [InlineData("configuration-qemu-snp.toml", "/sys/module/kvm_amd/parameters/sev_snp")]
    [InlineData("configuration-clh-snp.toml", "/sys/module/kvm_amd/parameters/sev_snp")]
    public async Task On_this_host_the_snp_files_fail_fast_naming_the_sysfs_file(string file, string sysfs)
    {
        var config = await new ConfigurationLoader().LoadFileAsync(Repository.Combine("configs", file));

        var e = Assert.Throws<TeeHostUnsupportedException>(() => new TeePlanner().Plan(config.Hypervisor));

        Assert.Contains(sysfs, e.Message, StringComparison.Ordinal);
    }
}
