namespace Sealpod.Tee.Tests;

/// <summary>The host gate the sandbox calls before starting a TEE guest: each verdict names the file it read.</summary>
public sealed class HostSupportTests
{
    [Fact]
    public void The_verdict_on_this_host_agrees_with_the_kvm_amd_parameter_it_names()
    {
        // A real host: on this development machine (KVM through PVM) kvm_amd is not loaded at all.
        var check = TeeHostSupport.Check(ProtectionKind.SevSnp);

        Assert.Contains(check.CheckedFile, (string[])[TeeHostSupport.SevSnpParameter, TeeHostSupport.SevDevice]);
        if (!File.Exists(TeeHostSupport.SevSnpParameter))
        {
            Assert.False(check.IsSupported);
            var e = Assert.Throws<TeeHostUnsupportedException>(check.ThrowIfUnsupported);
            Assert.Equal(
                "this host cannot launch SEV-SNP guests: /sys/module/kvm_amd/parameters/sev_snp: not found: kvm_amd is not loaded or has no SEV-SNP support",
                e.Message);
        }
        else
        {
            var on = File.ReadAllText(TeeHostSupport.SevSnpParameter).Trim() is "Y" or "1";
            Assert.Equal(on && File.Exists(TeeHostSupport.SevDevice), check.IsSupported);
        }
    }

    [Fact]
    public void Detect_on_this_host_reads_the_files_in_katas_order_until_one_says_yes()
    {
        var (available, checks) = TeeHostSupport.Detect();

        string[][] order =
        [
            [TeeHostSupport.TdxParameter],
            [TeeHostSupport.SevSnpParameter, TeeHostSupport.SevDevice],
            [TeeHostSupport.SevParameter, TeeHostSupport.SevDevice],
            [TeeHostSupport.CpuInfo, TeeHostSupport.KernelCommandLine],
        ];
        Assert.All(checks.SkipLast(1), c => Assert.False(c.IsSupported));
        Assert.Equal(available != ProtectionKind.None, checks[^1].IsSupported);
        for (var i = 0; i < checks.Count; i++)
        {
            Assert.Contains(checks[i].CheckedFile, order[i]);
        }

        if (available == ProtectionKind.None)
        {
            var e = new TeeHostUnsupportedException("hypervisor.qemu.confidential_guest", checks);
            Assert.StartsWith("hypervisor.qemu.confidential_guest = true, but this host offers no TEE Sealpod can launch: /sys/module/kvm_intel/parameters/tdx: ", e.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("Y", true)]
    [InlineData("1", true)]
    [InlineData("N", false)]
    [InlineData("0", false)]
    public void Kvm_module_parameters_read_as_kata_reads_them(string value, bool supported)
    {
        using var host = FakeHost.Empty().With(TeeHostSupport.SevSnpParameter, value + "\n").With(TeeHostSupport.SevDevice, string.Empty);

        var check = TeeHostSupport.Check(ProtectionKind.SevSnp, host.Root);

        Assert.Equal(supported, check.IsSupported);
        Assert.Equal(TeeHostSupport.SevSnpParameter, check.CheckedFile);
        if (!supported)
        {
            Assert.Equal($"reads {value}: SEV-SNP is disabled (boot the host with kvm_amd.sev_snp=1)", check.Reason);
        }
    }

    [Fact]
    public void Amd_tees_also_need_the_sev_device()
    {
        using var host = FakeHost.SevSnp().Without(TeeHostSupport.SevDevice);

        var check = TeeHostSupport.Check(ProtectionKind.Sev, host.Root);

        Assert.False(check.IsSupported);
        Assert.Equal("/dev/sev", check.CheckedFile);
    }

    [Fact]
    public void Tdx_and_sev_es_read_their_own_parameters()
    {
        using var tdx = FakeHost.Tdx();
        using var sev = FakeHost.Sev();

        Assert.True(TeeHostSupport.Check(ProtectionKind.Tdx, tdx.Root).IsSupported);
        Assert.False(TeeHostSupport.Check(ProtectionKind.Tdx, sev.Root).IsSupported);
        Assert.True(TeeHostSupport.Check(ProtectionKind.Sev, sev.Root).IsSupported);
        var es = TeeHostSupport.Check(ProtectionKind.SevEs, sev.Root);
        Assert.False(es.IsSupported);
        Assert.Equal("/sys/module/kvm_amd/parameters/sev_es", es.CheckedFile);
        Assert.Equal(ProtectionKind.Tdx, TeeHostSupport.Detect(tdx.Root).Available);
        Assert.Equal(ProtectionKind.Sev, TeeHostSupport.Detect(sev.Root).Available);
    }

    [Fact]
    public void Secure_execution_needs_facility_158_and_prot_virt()
    {
        const string S390CpuInfo = "vendor_id       : IBM/S390\nfacilities      : 0 1 2 3 4 7 8 9 158 169\n";
        using var ready = FakeHost.Empty().With(TeeHostSupport.CpuInfo, S390CpuInfo).With(TeeHostSupport.KernelCommandLine, "root=/dev/dasda1 prot_virt=1\n");
        using var notBooted = FakeHost.Empty().With(TeeHostSupport.CpuInfo, S390CpuInfo).With(TeeHostSupport.KernelCommandLine, "root=/dev/dasda1\n");
        using var x86 = FakeHost.Empty().With(TeeHostSupport.CpuInfo, "vendor_id\t: AuthenticAMD\nflags\t\t: fpu sme\n");

        Assert.True(TeeHostSupport.Check(ProtectionKind.SecureExecution, ready.Root).IsSupported);
        var noProtVirt = TeeHostSupport.Check(ProtectionKind.SecureExecution, notBooted.Root);
        Assert.False(noProtVirt.IsSupported);
        Assert.Equal("/proc/cmdline", noProtVirt.CheckedFile);
        var noFacility = TeeHostSupport.Check(ProtectionKind.SecureExecution, x86.Root);
        Assert.False(noFacility.IsSupported);
        Assert.Equal("/proc/cpuinfo", noFacility.CheckedFile);
    }
}
