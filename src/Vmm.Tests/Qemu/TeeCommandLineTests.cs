namespace Sealpod.Vmm.Tests.Qemu;

/// <summary>
/// The argv each TEE launch produces, pinned by golden fixtures (Fixtures/qemu-*-tee-*.args) whose object properties
/// follow QEMU's QAPI (qapi/qom.json SevSnpGuestProperties, SevGuestProperties, TdxGuestProperties, s390-pv-guest) and
/// Kata's templates; and the combinations refused before QEMU runs, each naming its key.
/// </summary>
public sealed class TeeCommandLineTests
{
    private static readonly InitDataDocument InitData = InitDataDocument.Create(
        InitDataAlgorithm.Sha384,
        new Dictionary<string, string> { ["aa.toml"] = "[token_configs.kbs]\nurl = 'http://192.0.2.1:8080'\n" });

    private static readonly string IdBlock = Convert.ToBase64String(Enumerable.Range(0, 96).Select(i => (byte)i).ToArray());
    private static readonly string IdAuth = Convert.ToBase64String(new byte[4096]);

    private static QemuConfig Tee(QemuConfig config) => config with
    {
        ConfidentialGuest = true,
        SharedFs = SharedFs.None,
        DisableBlockDeviceUse = true,
        DefaultBridges = 1,
    };

    private static QemuLaunchRequest Request(string id, QemuConfig config, TeeLaunch tee, SevLaunchSession? session = null, bool initData = true) => new()
    {
        Config = config,
        Spec = new VmSpec
        {
            SandboxId = id,
            RuntimeDirectory = $"/run/sealpod/vm/{id}",
            AgentKernelParameters = ["agent.cdh_api_timeout=50", "agent.launch_process_timeout=6"],
            BlockDevices = initData
                ? [new BlockDevice { Id = QemuHypervisor.InitDataDiskId, Path = $"/run/sealpod/vm/{id}/initdata.img", Serial = QemuHypervisor.InitDataDiskId }]
                : [],
        },
        Accelerator = Accelerator.Kvm,
        Files = new QemuVmFiles($"/run/sealpod/vm/{id}"),
        AgentEndpoint = new VsockAgentEndpoint(77, VsockAgentEndpoint.DefaultPort),
        Host = TestConfigs.Host,
        Tee = tee,
        SevSession = session,
    };

    private static IReadOnlyList<string> Build(QemuLaunchRequest request) => QemuCommandLineFactory.Create(request).Build();

    private static SevSnpLaunch Snp => new()
    {
        Policy = 0x30000,
        CBitPosition = 51,
        ReducedPhysBits = 1,
        Firmware = "/usr/share/sealpod/AMDSEV.fd",
        IdBlock = IdBlock,
        IdAuth = IdAuth,
        InitData = InitData.Digest,
    };

    [Fact]
    public void Sev_snp_golden()
    {
        var config = Tee(TestConfigs.CocoDev with
        {
            SevSnpGuest = true,
            Firmware = "/usr/share/sealpod/AMDSEV.fd",
            SnpIdBlock = IdBlock,
            SnpIdAuth = IdAuth,
            KernelParams = KernelParameters.Parse("agent.aa_kbc_params=cc_kbc::http://192.0.2.1:8080"),
        });

        var args = Build(Request("snp-1", config, Snp));

        Golden.AssertArgs("qemu-tee-sev-snp.args", args);

        // The Init-Data digest (SHA-384 of the TOML, first 32 bytes) is the HOST_DATA QEMU hands the PSP.
        var hostData = Convert.ToBase64String(SHA384.HashData(InitData.Toml)[..32]);
        Assert.Contains($",host-data={hostData}", Argv.ValueOf(args, "-object", "sev-snp-guest"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_argv_for_the_log_hides_the_kbs_endpoint_and_the_bound_digest_and_changes_nothing_else()
    {
        var config = Tee(TestConfigs.CocoDev with
        {
            SevSnpGuest = true,
            Firmware = "/usr/share/sealpod/AMDSEV.fd",
            KernelParams = KernelParameters.Parse("agent.aa_kbc_params=cc_kbc::http://192.0.2.1:8080 agent.image_registry_auth=kbs:///default/credential/reg"),
        });
        var snp = Snp with { IdBlock = null, IdAuth = null };
        var tdxConfig = Tee(TestConfigs.CocoDev with { Firmware = "/usr/share/sealpod/OVMF.inteltdx.fd" });
        var tdx = new TdxLaunch { Firmware = tdxConfig.Firmware, QuoteGeneration = new VsockQuoteGenerationSocket(2, 4050), InitData = InitData.Digest };

        var snpLine = QemuCommandLineFactory.Create(Request("snp-1", config, snp));
        var args = snpLine.Build();
        var logged = snpLine.BuildForLog();
        var tdxLogged = QemuCommandLineFactory.Create(Request("tdx-1", tdxConfig, tdx)).BuildForLog();

        var append = Argv.ValueOf(logged, "-append");
        Assert.Contains("agent.aa_kbc_params=<redacted>", append, StringComparison.Ordinal);
        Assert.Contains("agent.image_registry_auth=<redacted>", append, StringComparison.Ordinal);
        Assert.Contains("agent.cdh_api_timeout=50", append, StringComparison.Ordinal);
        Assert.EndsWith(",host-data=<redacted>", Argv.ValueOf(logged, "-object", "sev-snp-guest"), StringComparison.Ordinal);
        Assert.Contains("\"mrconfigid\":\"<redacted>\"", Argv.ValueOf(tdxLogged, "-object", "{"), StringComparison.Ordinal);
        var secrets = new[] { "192.0.2.1", "credential/reg", Convert.ToBase64String(InitData.Digest.ToSnpHostData()), Convert.ToBase64String(InitData.Digest.ToTdxMrConfigId()) };
        Assert.All(secrets, secret => Assert.DoesNotContain(logged.Concat(tdxLogged), a => a.Contains(secret, StringComparison.Ordinal)));

        // Every other entry is what QEMU gets; only the two values differ.
        Assert.Equal(args.Count, logged.Count);
        Assert.Equal(2, args.Zip(logged).Count(p => p.First != p.Second));
    }

    [Fact]
    public void Tdx_golden()
    {
        var config = Tee(TestConfigs.CocoDev with { Firmware = "/usr/share/sealpod/OVMF.inteltdx.fd" });
        var tdx = new TdxLaunch
        {
            Firmware = config.Firmware,
            QuoteGeneration = new VsockQuoteGenerationSocket(2, 4050),
            InitData = InitData.Digest,
        };

        var args = Build(Request("tdx-1", config, tdx));

        Golden.AssertArgs("qemu-tee-tdx.args", args);

        // The Init-Data digest (SHA-384, exactly MRCONFIGID's 48 bytes) is the TD's MRCONFIGID.
        Assert.Contains($"\"mrconfigid\":\"{Convert.ToBase64String(SHA384.HashData(InitData.Toml))}\"", Argv.ValueOf(args, "-object", "{"), StringComparison.Ordinal);
    }

    [Fact]
    public void Tdx_with_the_local_qgs_socket_names_it_as_a_unix_socket_address()
    {
        var config = Tee(TestConfigs.CocoDev with { Firmware = "/usr/share/sealpod/OVMF.inteltdx.fd" });
        var tdx = new TdxLaunch { Firmware = config.Firmware, QuoteGeneration = new UnixQuoteGenerationSocket("/var/run/tdx-qgs/qgs.socket") };

        var args = Build(Request("tdx-2", config, tdx, initData: false));

        Assert.Equal(
            "{\"qom-type\":\"tdx-guest\",\"id\":\"tdx\",\"sept-ve-disable\":true,\"quote-generation-socket\":{\"type\":\"unix\",\"path\":\"/var/run/tdx-qgs/qgs.socket\"}}",
            Argv.ValueOf(args, "-object", "{"));
    }

    [Fact]
    public void Sev_with_pre_attestation_golden()
    {
        var config = Tee(TestConfigs.CocoDev with { Firmware = "/usr/share/sealpod/OVMF.amdsev.fd", GuestPreAttestation = true });
        var settings = SevPreAttestationSettings.From(config);
        var sev = new SevLaunch { Policy = 3, CBitPosition = 47, ReducedPhysBits = 5, Firmware = config.Firmware, PreAttestation = settings };
        var session = new SevLaunchSession("0f6b1b4e-0c1d-4f6e-9d7a-2b3c4d5e6f70", "/run/sealpod/vm/sev-1/godh.b64", "/run/sealpod/vm/sev-1/session_file.b64");

        var args = Build(Request("sev-1", config, sev, session, initData: false));

        Golden.AssertArgs("qemu-tee-sev-preattestation.args", args);
        Assert.Contains("-S", args);
        Assert.Contains("agent.aa_kbc_params=online_sev_kbc::localhost:44444", Argv.ValueOf(args, "-append"), StringComparison.Ordinal);
    }

    [Fact]
    public void Sev_es_is_the_sev_object_with_policy_bit_2_and_no_session()
    {
        var config = Tee(TestConfigs.CocoDev with { Firmware = "/usr/share/OVMF/OVMF_CODE.fd", FirmwareVolume = "/run/sealpod/vm/es-1/OVMF_VARS.fd", SevGuestPolicy = 7 });
        var es = new SevLaunch { Policy = 7, CBitPosition = 51, ReducedPhysBits = 1, Firmware = config.Firmware };

        var args = Build(Request("es-1", config, es, initData: false));

        Golden.AssertArgs("qemu-tee-sev-es.args", args);
    }

    [Fact]
    public void Ibm_secure_execution_golden()
    {
        var config = Tee(TestConfigs.CocoDev with
        {
            Path = "/usr/bin/qemu-system-s390x",
            MachineType = QemuMachineType.S390CcwVirtio,
            Kernel = "/usr/share/sealpod/sealpod-se.img",
            Initrd = string.Empty,
            CpuFeatures = string.Empty,
        });

        var args = Build(Request("se-1", config, new SecureExecutionLaunch()));

        Golden.AssertArgs("qemu-tee-se.args", args);
    }

    [Fact]
    public void Every_tee_drops_memory_hotplug_nr_cpus_and_virtio_rng()
    {
        var config = Tee(TestConfigs.CocoDev with { SevSnpGuest = true, Firmware = "/f.fd", EntropySource = "/dev/urandom" });

        var args = Build(Request("snp-2", config, Snp));

        Assert.Equal("2048M", Argv.ValueOf(args, "-m"));
        Assert.DoesNotContain(args, a => a.StartsWith("virtio-rng", StringComparison.Ordinal));
        Assert.DoesNotContain("nr_cpus=", Argv.ValueOf(args, "-append"), StringComparison.Ordinal);
        Assert.Equal("EPYC-v4,pmu=off", Argv.ValueOf(args, "-cpu"));
        Assert.Equal("q35,accel=kvm,kernel_irqchip=split,confidential-guest-support=snp", Argv.ValueOf(args, "-machine"));
    }

    public static TheoryData<string, Func<QemuLaunchRequest, QemuLaunchRequest>, string> Refused => new()
    {
        {
            "confidential_guest without a planned TEE",
            r => r with { Tee = TeeLaunch.None },
            "hypervisor.qemu.confidential_guest: is true, but no TEE was planned for this launch (the driver plans it with TeePlanner)"
        },
        {
            "a TEE planned for a plain VM",
            r => r with { Config = r.Config with { ConfidentialGuest = false } },
            "hypervisor.qemu.confidential_guest: is false, but a SEV-SNP launch was planned"
        },
        {
            "a TEE under TCG",
            r => r with { Accelerator = Accelerator.Tcg },
            "hypervisor.qemu.confidential_guest: SEV-SNP guests run only under KVM; this host would use TCG"
        },
        {
            "pre-attestation without a key broker session",
            r => r with { Tee = new SevLaunch { Policy = 3, CBitPosition = 51, ReducedPhysBits = 1, Firmware = "/f.fd", PreAttestation = SevPreAttestationSettings.From(new QemuConfig()) } },
            "hypervisor.qemu.guest_pre_attestation: is true, but no launch session was obtained from the key broker (the driver asks for it before launching)"
        },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Invalid_tee_combinations_are_refused_naming_the_key(string what, Func<QemuLaunchRequest, QemuLaunchRequest> change, string message)
    {
        var config = Tee(TestConfigs.CocoDev with { SevSnpGuest = true, Firmware = "/f.fd" });

        var error = Assert.Throws<HypervisorConfigurationException>(() => Build(change(Request("bad-1", config, Snp))));

        Assert.True(message == error.Message, $"{what}: {error.Message}");
    }

    [Theory]
    [InlineData("configuration-qemu-snp.toml", "snp", "confidential-guest-support=snp")]
    [InlineData("configuration-qemu-tdx.toml", "tdx", "confidential-guest-support=tdx")]
    [InlineData("configuration-qemu-sev.toml", "sev", "confidential-guest-support=sev")]
    [InlineData("configuration-qemu-se.toml", "se", "confidential-guest-support=pv0")]
    public async Task The_shipped_tee_files_render_on_a_host_with_their_tee(string file, string host, string machineOption)
    {
        var config = (QemuConfig)(await new ConfigurationLoader().LoadFileAsync(Repository.Combine("configs", file))).Hypervisor;
        using var hosts = host switch { "snp" => TeeHosts.SevSnp(), "tdx" => TeeHosts.Tdx(), "sev" => TeeHosts.Sev(), _ => TeeHosts.S390() };
        var plan = new TeePlanner(hosts.Options).Plan(config);
        var session = plan.Launch is SevLaunch { PreAttestation: not null } ? new SevLaunchSession("id", "/run/v/godh.b64", "/run/v/session_file.b64") : null;

        var args = Build(Request("shipped-1", config, plan.Launch, session, initData: false));

        Assert.Contains(machineOption, Argv.ValueOf(args, "-machine"), StringComparison.Ordinal);
    }

    [Fact]
    public void Sev_snp_id_block_without_id_auth_cannot_render()
    {
        var device = new Sealpod.Vmm.Qemu.Args.SevSnpGuest { CBitPosition = 51, ReducedPhysBits = 1, Policy = 0x30000, IdBlock = IdBlock };

        var error = Assert.Throws<InvalidOperationException>(() => device.Render().ToList());

        Assert.Equal("sev-snp-guest: id-block and id-auth are only valid together", error.Message);
    }
}
