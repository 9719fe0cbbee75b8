using Sealpod.Vmm.Qemu.Capabilities;

namespace Sealpod.Vmm.Tests.Tee;

/// <summary>
/// Asking the QEMU binary which TEE objects it has: the real Debian QEMU 7.2 for what it lacks and has, a script
/// pretending to be a newer QEMU for what this machine cannot show.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Trait(TestCategories.Name, TestCategories.Vm)]
public sealed class QemuCapabilityTests
{
    private static readonly SevSnpLaunch Snp = new() { Policy = 0x30000, CBitPosition = 51, ReducedPhysBits = 1, Firmware = "/f.fd" };

    [Fact]
    public async Task The_real_qemu_7_2_lists_sev_guest_but_neither_sev_snp_guest_nor_tdx_guest()
    {
        var info = await new QemuCapabilityProbe().DescribeAsync(RawQemu.Binary);
        var sevProperties = await new QemuCapabilityProbe().ObjectPropertiesAsync(RawQemu.Binary, "sev-guest");

        Assert.StartsWith("7.2", info.Version, StringComparison.Ordinal);
        Assert.Contains("sev-guest", info.Objects);
        Assert.Contains("memory-backend-file", info.Objects);
        Assert.DoesNotContain("sev-snp-guest", info.Objects);
        Assert.DoesNotContain("tdx-guest", info.Objects);
        Assert.Contains("kernel-hashes", sevProperties);
        Assert.Contains("dh-cert-file", sevProperties);
        Assert.Contains("session-file", sevProperties);
    }

    [Theory]
    [InlineData("snp", "sev-snp-guest", "SEV-SNP (sev_snp_guest = true) needs QEMU 9.1 or newer")]
    [InlineData("tdx", "tdx-guest", "TDX (confidential_guest = true on a TDX host) needs QEMU 10.1 or newer")]
    [InlineData("se", "s390-pv-guest", "IBM Secure Execution (confidential_guest = true with machine_type = \"s390-ccw-virtio\") needs QEMU 6.0 or newer")]
    public async Task The_real_qemu_7_2_refuses_the_tees_it_lacks_naming_the_release_needed(string tee, string objectType, string need)
    {
        TeeLaunch launch = tee switch
        {
            "snp" => Snp,
            "tdx" => new TdxLaunch { Firmware = "/f.fd", QuoteGeneration = new VsockQuoteGenerationSocket(2, 4050) },
            _ => new SecureExecutionLaunch(),
        };
        var version = (await new QemuCapabilityProbe().DescribeAsync(RawQemu.Binary)).Version;

        var error = await Assert.ThrowsAsync<HypervisorConfigurationException>(() => new QemuCapabilityProbe().RequireAsync(RawQemu.Binary, launch));

        Assert.Equal("hypervisor.qemu.path", error.Key);
        Assert.Equal($"hypervisor.qemu.path: QEMU {version} at {RawQemu.Binary} has no {objectType} object: {need}; point path at such a QEMU", error.Message);
    }

    [Fact]
    public async Task The_real_qemu_7_2_carries_sev_with_kernel_hashes_for_pre_attestation()
    {
        var sev = new SevLaunch
        {
            Policy = 3,
            CBitPosition = 51,
            ReducedPhysBits = 1,
            Firmware = "/f.fd",
            PreAttestation = SevPreAttestationSettings.From(new Sealpod.Config.QemuConfig()),
        };

        await new QemuCapabilityProbe().RequireAsync(RawQemu.Binary, sev);
        await new QemuCapabilityProbe().RequireAsync(RawQemu.Binary, TeeLaunch.None);
    }

    [Fact]
    public async Task Snp_certs_path_needs_the_certs_path_property_which_only_amds_qemu_has()
    {
        // Simulates upstream QEMU 9.1 (sev-snp-guest without certs-path) and AMD's branch (with it).
        using var upstream = new FakeQemu("9.1.0", ["sev-guest", "sev-snp-guest"], new Dictionary<string, string[]> { ["sev-snp-guest"] = ["host-data", "id-auth", "id-block", "kernel-hashes", "policy"] });
        using var amd = new FakeQemu("9.1.50", ["sev-guest", "sev-snp-guest"], new Dictionary<string, string[]> { ["sev-snp-guest"] = ["certs-path", "host-data", "id-block", "policy"] });
        var withCerts = Snp with { CertsPath = "/opt/snp/cert_chain.cert" };

        var error = await Assert.ThrowsAsync<HypervisorConfigurationException>(() => new QemuCapabilityProbe().RequireAsync(upstream.Path, withCerts));

        Assert.Equal("hypervisor.qemu.snp_certs_path", error.Key);
        Assert.Equal(
            $"hypervisor.qemu.snp_certs_path: is set (/opt/snp/cert_chain.cert), but QEMU 9.1.0 at {upstream.Path} has no sev-snp-guest property certs-path (only AMD's QEMU branch has it): unset snp_certs_path or use that QEMU",
            error.Message);
        await new QemuCapabilityProbe().RequireAsync(upstream.Path, Snp);
        await new QemuCapabilityProbe().RequireAsync(amd.Path, withCerts);
    }

    [Fact]
    public async Task Answers_are_cached_per_binary_until_it_changes()
    {
        using var qemu = new FakeQemu("10.1.0", ["tdx-guest"], new Dictionary<string, string[]>());
        var probe = new QemuCapabilityProbe();
        var tdx = new TdxLaunch { Firmware = "/f.fd", QuoteGeneration = new VsockQuoteGenerationSocket(2, 4050) };

        await probe.RequireAsync(qemu.Path, tdx);
        await probe.RequireAsync(qemu.Path, tdx);
        Assert.Equal(["--version", "-object help"], qemu.Calls);

        File.SetLastWriteTimeUtc(qemu.Path, DateTime.UtcNow.AddMinutes(1));
        await probe.RequireAsync(qemu.Path, tdx);
        Assert.Equal(["--version", "-object help", "--version", "-object help"], qemu.Calls);
    }

    [Fact]
    public async Task A_missing_binary_is_a_configuration_error_naming_path()
    {
        var error = await Assert.ThrowsAsync<HypervisorConfigurationException>(() => new QemuCapabilityProbe().RequireAsync("/nonexistent/qemu", Snp));

        Assert.Equal("hypervisor.qemu.path: cannot ask /nonexistent/qemu for its objects: /nonexistent/qemu does not exist", error.Message);
    }
}
