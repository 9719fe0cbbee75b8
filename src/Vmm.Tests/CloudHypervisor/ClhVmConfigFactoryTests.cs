using Sealpod.Vmm.CloudHypervisor.Api;

namespace Sealpod.Vmm.Tests.CloudHypervisor;

/// <summary>
/// The vm.create body for an ordinary VM, TDX and SEV-SNP: pinned by golden files (Fixtures/clh-*.json) and checked
/// against Cloud Hypervisor's OpenAPI schema, member by member.
/// </summary>
public sealed class ClhVmConfigFactoryTests
{
    private static readonly OpenApiDocument Schema = OpenApiDocument.Load(OpenApiDocument.SchemaPath);

    private static readonly InitDataDocument InitData = InitDataDocument.Create(
        InitDataAlgorithm.Sha256, new Dictionary<string, string> { ["policy.rego"] = "package agent_policy\n" });

    private static readonly CloudHypervisorConfig Plain = new()
    {
        Kernel = "/usr/share/sealpod/vmlinux",
        Initrd = "/usr/share/sealpod/sealpod-initrd.img",
        DefaultVcpus = 1,
        DefaultMaxVcpus = 0,
        DefaultMemoryMiB = 2048,
        KernelParams = KernelParameters.Parse("agent.log=debug"),
    };

    private static ClhLaunchRequest Request(string id, CloudHypervisorConfig config, TeeLaunch tee, bool initData = true) => new()
    {
        Config = config,
        Spec = new VmSpec
        {
            SandboxId = id,
            RuntimeDirectory = $"/run/sealpod/vm/{id}",
            AgentKernelParameters = ["agent.cdh_api_timeout=50"],
            BlockDevices = initData ? [new BlockDevice { Id = "initdata", Path = $"/run/sealpod/vm/{id}/initdata.img", Serial = "initdata" }] : [],
        },
        Files = new ClhVmFiles($"/run/sealpod/vm/{id}"),
        Host = TestConfigs.Host,
        Tee = tee,
    };

    public static TheoryData<string> Cases => ["plain", "tdx", "snp"];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_launch_matches_its_golden_body_and_the_openapi_schema(string name)
    {
        var (config, tee) = Case(name);

        var body = JsonSerializer.SerializeToElement(ClhVmConfigFactory.Create(Request(name + "-1", config, tee)), ClhJsonContext.Default.VmConfig);

        Assert.Equal([], Schema.ValidateRequest("PUT", "/api/v1/vm.create", body));
        GoldenJson.Assert($"clh-{name}.json", body);
    }

    [Fact]
    public void Snp_host_data_is_the_init_data_digest_in_hex_and_zeros_without_init_data()
    {
        var (config, tee) = Case("snp");

        var withInitData = ClhVmConfigFactory.Create(Request("snp-2", config, tee));
        var without = ClhVmConfigFactory.Create(Request("snp-3", config, ((SevSnpLaunch)tee) with { InitData = null }, initData: false));

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(InitData.Toml)), withInitData.Payload.HostData);
        Assert.Equal(new string('0', 64), without.Payload.HostData);
        Assert.Equal(true, withInitData.Platform!.SevSnp);
        Assert.Null(withInitData.Payload.Kernel);
        Assert.Equal(["rootfs", "initdata"], withInitData.Disks!.Select(d => d.Id));
        Assert.Null(withInitData.Rng);
    }

    [Fact]
    public void A_tee_guest_cannot_hot_plug_cpus()
    {
        var (config, tee) = Case("tdx");

        var body = ClhVmConfigFactory.Create(Request("tdx-2", config with { DefaultVcpus = 2, DefaultMaxVcpus = 8 }, tee) with { Host = new HostResources(8, 16000) });

        Assert.Equal(new CpusConfig(2, 2), body.Cpus);
        Assert.Null(body.Memory!.HotplugSize);
    }

    public static TheoryData<string, string> Refused => new()
    {
        { "sev", "hypervisor.clh.confidential_guest: Cloud Hypervisor cannot launch SEV guests (TDX and SEV-SNP only)" },
        { "no-tee", "hypervisor.clh.confidential_guest: is true, but no TEE was planned for this launch (the driver plans it with TeePlanner)" },
        { "snp-no-igvm", "hypervisor.clh.igvm: SEV-SNP guests boot from an IGVM payload; set igvm" },
        { "snp-no-image", "hypervisor.clh.image: an IGVM guest needs its root disk image; set image" },
        { "image", "hypervisor.clh.image: booting from a root disk image is supported only with an IGVM payload (sev_snp_guest); use an initrd" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Launches_cloud_hypervisor_cannot_do_are_refused_naming_the_key(string what, string message)
    {
        var (snpConfig, snp) = Case("snp");
        var request = what switch
        {
            "sev" => Request("x", Plain with { ConfidentialGuest = true }, new SevLaunch { Policy = 3, CBitPosition = 51, ReducedPhysBits = 1, Firmware = "/f" }),
            "no-tee" => Request("x", Plain with { ConfidentialGuest = true }, TeeLaunch.None),
            "snp-no-igvm" => Request("x", snpConfig, ((SevSnpLaunch)snp) with { Igvm = string.Empty }),
            "snp-no-image" => Request("x", snpConfig with { Image = string.Empty }, snp),
            _ => Request("x", Plain with { Initrd = string.Empty, Image = "/i.img" }, TeeLaunch.None),
        };

        Assert.Equal(message, Assert.Throws<HypervisorConfigurationException>(() => ClhVmConfigFactory.Create(request)).Message);
    }

    private static (CloudHypervisorConfig Config, TeeLaunch Tee) Case(string name) => name switch
    {
        "plain" => (Plain, TeeLaunch.None),
        "tdx" => (
            Plain with { ConfidentialGuest = true, Firmware = "/usr/share/sealpod/td-shim.bin", SharedFs = SharedFs.None },
            new TdxLaunch { Firmware = "/usr/share/sealpod/td-shim.bin", QuoteGeneration = new VsockQuoteGenerationSocket(2, 4050), InitData = InitData.Digest }),
        _ => (
            Plain with
            {
                ConfidentialGuest = true,
                SevSnpGuest = true,
                Initrd = string.Empty,
                Image = "/usr/share/sealpod/sealpod-confidential.img",
                Igvm = "/usr/share/sealpod/sealpod.igvm",
                SharedFs = SharedFs.None,
            },
            new SevSnpLaunch { Policy = 0x30000, CBitPosition = 51, ReducedPhysBits = 1, Igvm = "/usr/share/sealpod/sealpod.igvm", InitData = InitData.Digest }),
    };
}
