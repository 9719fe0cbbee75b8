using Sealpod.InitData;

namespace Sealpod.Tee.Tests;

/// <summary>Which TEE a configuration gets on a given host, with which values; and what is refused up front.</summary>
public sealed class TeePlannerTests
{
    private const string Qemu = """
        [hypervisor.qemu]
        kernel = "/usr/share/sealpod/vmlinuz"
        image = "/usr/share/sealpod/sealpod.img"
        shared_fs = "none"
        confidential_guest = true

        """;

    private static readonly InitDataDocument InitData = InitDataDocument.Create(
        InitDataAlgorithm.Sha384, new Dictionary<string, string> { ["aa.toml"] = "[token_configs]\n" });

    [Fact]
    public void Snp_resolves_policy_c_bit_firmware_id_block_and_binds_init_data_as_host_data()
    {
        using var host = FakeHost.SevSnp();
        var idBlock = Convert.ToBase64String(new byte[96]);
        var idAuth = Convert.ToBase64String(new byte[4096]);
        var config = Config(Qemu + $"""
            sev_snp_guest = true
            firmware = "/usr/share/sealpod/AMDSEV.fd"
            snp_guest_policy = 196608
            snp_id_block = "{idBlock}"
            snp_id_auth = "{idAuth}"
            snp_certs_path = "/opt/snp/cert_chain.cert"

            """, InitData);

        var plan = Planner(host).Plan(config);

        var snp = Assert.IsType<SevSnpLaunch>(plan.Launch);
        Assert.Equal(0x30000UL, snp.Policy);
        Assert.Equal(51, snp.CBitPosition);
        Assert.Equal(1, snp.ReducedPhysBits);
        Assert.Equal("/usr/share/sealpod/AMDSEV.fd", snp.Firmware);
        Assert.Equal(idBlock, snp.IdBlock);
        Assert.Equal(idAuth, snp.IdAuth);
        Assert.Equal("/opt/snp/cert_chain.cert", snp.CertsPath);
        Assert.Equal(InitData.Digest.Value[..32].ToArray(), snp.HostData);
        Assert.Same(InitData.Digest.GetType(), plan.InitData!.Digest.GetType());
        Assert.Equal(InitData.Digest, plan.InitData.Digest);
        Assert.Equal(ProtectionKind.SevSnp, snp.Kind);
    }

    [Fact]
    public void Snp_on_a_host_without_it_fails_naming_the_sysfs_file()
    {
        using var host = FakeHost.Sev();
        var config = Config(Qemu + "sev_snp_guest = true\nfirmware = \"/f.fd\"\n");

        var e = Assert.Throws<TeeHostUnsupportedException>(() => Planner(host).Plan(config));

        Assert.Equal("this host cannot launch SEV-SNP guests: /sys/module/kvm_amd/parameters/sev_snp: reads N: SEV-SNP is disabled (boot the host with kvm_amd.sev_snp=1)", e.Message);
        Assert.Equal(TeeHostSupport.SevSnpParameter, e.Check!.CheckedFile);
    }

    [Fact]
    public void Snp_without_a_c_bit_in_cpuid_fails_naming_the_leaf()
    {
        using var host = FakeHost.SevSnp();
        var noLeaf = new FakeCpuid(new Dictionary<uint, CpuidResult> { [0x80000000] = new(0x80000008, 0, 0, 0) });

        var e = Assert.Throws<TeeHostUnsupportedException>(() =>
            new TeePlanner(new TeePlannerOptions { ProbeRoot = host.Root, Cpuid = noLeaf }).Plan(Config(Qemu + "sev_snp_guest = true\nfirmware = \"/f.fd\"\n")));

        Assert.Equal("this host cannot launch SEV-SNP guests: CPUID leaf 0x8000001F: reports no C-bit position (EBX[5:0] is 0)", e.Message);
    }

    [Theory]
    [InlineData(0, true, "unix:/var/run/tdx-qgs/qgs.socket")]
    [InlineData(0, false, "vsock:2:4050")]
    [InlineData(4051, true, "vsock:2:4051")]
    public void Tdx_picks_the_quote_generation_socket_by_katas_port_rule(int port, bool localQgs, string expected)
    {
        using var host = FakeHost.Tdx();
        if (localQgs)
        {
            host.With(QuoteGenerationSocket.DefaultUnixPath, string.Empty);
        }

        var plan = Planner(host).Plan(Config(Qemu + $"firmware = \"/usr/share/sealpod/OVMF.inteltdx.fd\"\ntdx_quote_generation_service_socket_port = {port}\n", InitData));

        var tdx = Assert.IsType<TdxLaunch>(plan.Launch);
        Assert.Equal(expected, tdx.QuoteGeneration switch
        {
            UnixQuoteGenerationSocket u => "unix:" + u.Path,
            VsockQuoteGenerationSocket v => $"vsock:{v.Cid}:{v.Port}",
            _ => "?",
        });
        Assert.True(tdx.SeptVeDisable);
        Assert.Equal(InitData.Digest.Value.ToArray(), tdx.MrConfigId);
        Assert.Equal("/usr/share/sealpod/OVMF.inteltdx.fd", tdx.Firmware);
    }

    [Fact]
    public void Sev_and_sev_es_follow_the_policy_bit_and_the_host()
    {
        using var snpHost = FakeHost.SevSnp();
        using var sevOnly = FakeHost.Sev();

        var sev = Assert.IsType<SevLaunch>(Planner(snpHost).Plan(Config(Qemu + "firmware = \"/usr/share/ovmf/OVMF.fd\"\nsev_guest_policy = 3\n")).Launch);
        var es = Assert.IsType<SevLaunch>(Planner(snpHost).Plan(Config(Qemu + "firmware = \"/usr/share/ovmf/OVMF.fd\"\nsev_guest_policy = 7\n")).Launch);
        var e = Assert.Throws<TeeHostUnsupportedException>(() => Planner(sevOnly).Plan(Config(Qemu + "firmware = \"/usr/share/ovmf/OVMF.fd\"\nsev_guest_policy = 7\n")));

        Assert.Equal(ProtectionKind.Sev, sev.Kind);
        Assert.Null(sev.PreAttestation);
        Assert.False(sev.KernelHashes);
        Assert.Equal(ProtectionKind.SevEs, es.Kind);
        Assert.Equal(7u, es.Policy);
        Assert.Equal("/sys/module/kvm_amd/parameters/sev_es", e.Check!.CheckedFile);
    }

    [Fact]
    public void Pre_attestation_settings_follow_the_mode_or_the_ccv0_overrides()
    {
        using var host = FakeHost.Sev();
        const string Sev = Qemu + "firmware = \"/usr/share/ovmf/OVMF.fd\"\nguest_pre_attestation = true\nguest_pre_attestation_kbs_uri = \"192.0.2.7:44444\"\n";

        var online = Assert.IsType<SevLaunch>(Planner(host).Plan(Config(Sev)).Launch).PreAttestation!;
        var offline = Assert.IsType<SevLaunch>(Planner(host).Plan(Config(Sev + "guest_pre_attestation_kbs_mode = \"offline\"\n")).Launch).PreAttestation!;
        var edited = Assert.IsType<SevLaunch>(Planner(host).Plan(Config(Sev + "guest_pre_attestation_secret_guid = \"e6f5a162-d67f-4750-a67c-5d065f2a9910\"\nguest_pre_attestation_secret_type = \"bundle\"\n")).Launch).PreAttestation!;

        Assert.Equal(("connection", SevSecretGuids.Online, "online_sev_kbc::192.0.2.7:44444"), (online.SecretType, online.SecretGuid, online.AaKbcParams));
        Assert.Equal(("bundle", SevSecretGuids.Offline, (string?)null), (offline.SecretType, offline.SecretGuid, offline.AaKbcParams));
        Assert.Equal(("bundle", SevSecretGuids.Offline, (string?)null), (edited.SecretType, edited.SecretGuid, edited.AaKbcParams));
        Assert.Equal(3u, online.Policy);
        Assert.Equal("/opt/sev/cert_chain.cert", online.CertChainPath);
        Assert.Equal(TimeSpan.FromSeconds(10), online.GrpcTimeout);
    }

    [Fact]
    public void A_host_without_any_tee_fails_listing_every_file_it_read()
    {
        using var host = FakeHost.Empty().With(TeeHostSupport.CpuInfo, "flags : fpu\n");

        var e = Assert.Throws<TeeHostUnsupportedException>(() => Planner(host).Plan(Config(Qemu + "firmware = \"/f.fd\"\n")));

        Assert.Equal(
            "hypervisor.qemu.confidential_guest = true, but this host offers no TEE Sealpod can launch: "
            + "/sys/module/kvm_intel/parameters/tdx: not found: kvm_intel is not loaded or has no TDX support; "
            + "/sys/module/kvm_amd/parameters/sev_snp: not found: kvm_amd is not loaded or has no SEV-SNP support; "
            + "/sys/module/kvm_amd/parameters/sev: not found: kvm_amd is not loaded or has no SEV support; "
            + "/proc/cpuinfo: lists no CPU facility 158 (not an IBM Z with the ultravisor)",
            e.Message);
    }

    [Fact]
    public void Combinations_the_host_decides_are_refused_naming_the_key()
    {
        using var tdx = FakeHost.Tdx();
        using var sev = FakeHost.Sev();

        Assert.Equal(
            "hypervisor.qemu.guest_pre_attestation: is SEV pre-attestation with simple-kbs, but this host launches TDX guests; set it to false",
            Assert.Throws<TeeConfigurationException>(() => Planner(tdx).Plan(Config(Qemu + "firmware = \"/f.fd\"\nguest_pre_attestation = true\n"))).Message);
        Assert.Equal(
            "hypervisor.clh.sev_snp_guest: this host offers AMD SEV, which Cloud Hypervisor cannot launch; set sev_snp_guest = true (with igvm) on an SEV-SNP host, or use [hypervisor.qemu]",
            Assert.Throws<TeeConfigurationException>(() => Planner(sev).Plan(Config("[hypervisor.clh]\nimage = \"/i.img\"\nshared_fs = \"none\"\nconfidential_guest = true\nfirmware = \"/td-shim.bin\"\n"))).Message);
    }

    [Fact]
    public void Cloud_hypervisor_snp_carries_the_igvm_payload_and_host_data()
    {
        using var host = FakeHost.SevSnp();

        var plan = Planner(host).Plan(Config("[hypervisor.clh]\nimage = \"/i.img\"\nshared_fs = \"none\"\nconfidential_guest = true\nsev_snp_guest = true\nigvm = \"/usr/share/sealpod/sealpod.igvm\"\n", InitData));

        var snp = Assert.IsType<SevSnpLaunch>(plan.Launch);
        Assert.Equal("/usr/share/sealpod/sealpod.igvm", snp.Igvm);
        Assert.Null(snp.IdBlock);
        Assert.Equal(32, snp.HostData!.Length);
    }

    [Fact]
    public void Secure_execution_needs_the_s390_host()
    {
        using var s390 = FakeHost.Empty().With(TeeHostSupport.CpuInfo, "facilities      : 0 1 158\n").With(TeeHostSupport.KernelCommandLine, "prot_virt=1\n");
        using var x86 = FakeHost.Sev();
        var se = Config("[hypervisor.qemu]\nkernel = \"/usr/share/sealpod/se.img\"\nshared_fs = \"none\"\nmachine_type = \"s390-ccw-virtio\"\nconfidential_guest = true\nblock_device_driver = \"virtio-scsi\"\n");

        Assert.IsType<SecureExecutionLaunch>(Planner(s390).Plan(se).Launch);
        Assert.Equal("/proc/cpuinfo", Assert.Throws<TeeHostUnsupportedException>(() => Planner(x86).Plan(se)).Check!.CheckedFile);
    }

    [Theory]
    [InlineData(3, "SEV")]
    [InlineData(7, "SEV-ES")]
    public void Sev_and_sev_es_refuse_init_data_naming_the_annotation(int policy, string tee)
    {
        using var host = FakeHost.SevSnp();

        var e = Assert.Throws<TeeConfigurationException>(() =>
            Planner(host).Plan(Config(Qemu + $"firmware = \"/usr/share/ovmf/OVMF.fd\"\nsev_guest_policy = {policy}\n", InitData)));

        Assert.Equal(InitDataAnnotation.Name, e.Key);
        Assert.Equal(
            $"io.katacontainers.config.hypervisor.cc_init_data: {tee} cannot bind Init-Data into its attestation (only SEV-SNP HOST_DATA and TDX MRCONFIGID can); remove the annotation or launch an SEV-SNP or TDX guest",
            e.Message);
    }

    [Fact]
    public void Cloud_hypervisor_tdx_refuses_init_data_it_cannot_bind()
    {
        using var host = FakeHost.Tdx();
        var toml = "[hypervisor.clh]\nkernel = \"/k\"\ninitrd = \"/i.img\"\nshared_fs = \"none\"\nconfidential_guest = true\nfirmware = \"/usr/share/sealpod/td-shim.bin\"\n";

        var e = Assert.Throws<TeeConfigurationException>(() => Planner(host).Plan(Config(toml, InitData)));

        Assert.Equal(InitDataAnnotation.Name, e.Key);
        Assert.Contains("Cloud Hypervisor cannot set TDX MRCONFIGID", e.Message, StringComparison.Ordinal);
        Assert.IsType<TdxLaunch>(Planner(host).Plan(Config(toml)).Launch);
    }

    [Fact]
    public void Secure_execution_refuses_init_data_naming_the_annotation()
    {
        using var s390 = FakeHost.Empty().With(TeeHostSupport.CpuInfo, "facilities      : 0 1 158\n").With(TeeHostSupport.KernelCommandLine, "prot_virt=1\n");
        var se = Config("[hypervisor.qemu]\nkernel = \"/usr/share/sealpod/se.img\"\nshared_fs = \"none\"\nmachine_type = \"s390-ccw-virtio\"\nconfidential_guest = true\nblock_device_driver = \"virtio-scsi\"\n", InitData);

        var e = Assert.Throws<TeeConfigurationException>(() => Planner(s390).Plan(se));

        Assert.Equal(InitDataAnnotation.Name, e.Key);
        Assert.StartsWith("io.katacontainers.config.hypervisor.cc_init_data: IBM Secure Execution cannot bind Init-Data", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_tee_init_data_is_still_delivered_but_nothing_is_bound()
    {
        using var host = FakeHost.Empty();

        var plan = Planner(host).Plan(Config("[hypervisor.qemu]\ninitrd = \"/i.img\"\nshared_fs = \"none\"\n", InitData));

        Assert.Same(TeeLaunch.None, plan.Launch);
        Assert.False(plan.Launch.IsConfidential);
        Assert.Equal(InitData.Digest, plan.InitData!.Digest);
    }

    [Fact]
    public void Malformed_init_data_fails_naming_the_annotation()
    {
        using var host = FakeHost.Empty();
        var config = Config("[hypervisor.qemu]\ninitrd = \"/i.img\"\nshared_fs = \"none\"\n") with
        {
            CcInitData = Convert.ToBase64String(Gzip("version = \"9\""u8.ToArray())),
        };

        var e = Assert.Throws<TeeConfigurationException>(() => Planner(host).Plan(config));

        Assert.Equal("io.katacontainers.config.hypervisor.cc_init_data: Init-Data version: expected \"0.1.0\", found string \"9\"", e.Message);
        Assert.Equal(InitDataAnnotation.Name, e.Key);
    }

    private static TeePlanner Planner(FakeHost host) => new(new TeePlannerOptions { ProbeRoot = host.Root, Cpuid = FakeCpuid.Milan });

    /// <summary>Loads a [hypervisor.*] section through the real loader; Init-Data arrives as the pod annotation would.</summary>
    private static HypervisorConfig Config(string toml, InitDataDocument? initData = null)
    {
        if (initData is null)
        {
            return ConfigurationLoader.LoadText(toml, "configuration.toml").Hypervisor;
        }

        var config = ConfigurationLoader.LoadText(toml + "enable_annotations = [\"cc_init_data\"]\n", "configuration.toml");
        return config.WithAnnotations(new Dictionary<string, string> { [InitDataAnnotation.Name] = InitDataAnnotation.Encode(initData) }).Hypervisor;
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }
}
