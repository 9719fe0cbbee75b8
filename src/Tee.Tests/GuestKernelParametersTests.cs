using Sealpod.Tee.KernelParams;

namespace Sealpod.Tee.Tests;

/// <summary>The guest command line: driver defaults, agent options, TEE needs, then configuration and annotation.</summary>
public sealed class GuestKernelParametersTests
{
    private static readonly KernelParameters Defaults = KernelParameters.Parse("console=ttyS0 quiet panic=1");

    [Fact]
    public void Agent_options_follow_katas_names()
    {
        var agent = new AgentConfig
        {
            EnableDebug = true,
            EnableTracing = true,
            ContainerPipeSize = 2097152,
            DebugConsoleEnabled = true,
            CdhApiTimeout = TimeSpan.FromSeconds(50),
            LaunchProcessTimeout = TimeSpan.FromSeconds(6),
        };

        Assert.Equal(
            "agent.log=debug agent.trace=true agent.container_pipe_size=2097152 agent.debug_console agent.debug_console_vport=1026 agent.cdh_api_timeout=50 agent.launch_process_timeout=6",
            GuestKernelParameters.ForAgent(agent).ToString());
        Assert.Equal(
            "agent.launch_process_timeout=6",
            GuestKernelParameters.ForAgent(new AgentConfig { CdhApiTimeout = TimeSpan.Zero }).ToString());
    }

    [Fact]
    public void Configured_parameters_and_the_allowed_annotation_replace_defaults_in_place()
    {
        var config = ConfigurationLoader.LoadText(
            """
            [hypervisor.qemu]
            initrd = "/usr/share/sealpod/sealpod-initrd.img"
            shared_fs = "none"
            enable_annotations = ["kernel_params"]
            kernel_params = "quiet=0 agent.log=info agent.aa_kbc_params=cc_kbc::http://192.0.2.1:8080"
            [agent.kata]
            enable_debug = true
            """,
            "configuration.toml");
        var pod = config.WithAnnotations(new Dictionary<string, string>
        {
            [Sealpod.Config.KataAnnotations.KernelParams] = "agent.aa_kbc_params=cc_kbc::http://198.51.100.7:8080 agent.image_policy_file=kbs:///default/security-policy/test",
        });

        var line = GuestKernelParameters.Compose(Defaults, pod.Agent, pod.Hypervisor, TeeLaunch.None);

        Assert.Equal(
            "console=ttyS0 quiet=0 panic=1 agent.log=info agent.cdh_api_timeout=50 agent.launch_process_timeout=6 "
            + "agent.aa_kbc_params=cc_kbc::http://198.51.100.7:8080 agent.image_policy_file=kbs:///default/security-policy/test",
            line.ToString());
    }

    [Fact]
    public void Online_pre_attestation_points_the_guest_at_online_sev_kbc_unless_configured_otherwise()
    {
        var settings = new SevPreAttestationSettings
        {
            KbsAddress = "localhost:44444",
            Policy = 3,
            CertChainPath = "/opt/sev/cert_chain.cert",
            SecretGuid = SevSecretGuids.Online,
            SecretType = SevPreAttestationSettings.ConnectionSecretType,
        };
        var launch = new SevLaunch { Policy = 3, CBitPosition = 51, ReducedPhysBits = 1, Firmware = "/f", PreAttestation = settings };
        var offline = launch with { PreAttestation = settings with { SecretType = "bundle", SecretGuid = SevSecretGuids.Offline } };
        var plain = new QemuConfig();
        var guided = new QemuConfig { KernelParams = KernelParameters.Parse("agent.aa_kbc_params=online_sev_kbc::192.0.2.9:44444") };

        Assert.Equal("console=ttyS0 quiet panic=1 agent.confidential=true agent.aa_kbc_params=online_sev_kbc::localhost:44444", GuestKernelParameters.Compose(Defaults, new AgentConfig { CdhApiTimeout = TimeSpan.Zero, LaunchProcessTimeout = TimeSpan.Zero }, plain, launch).ToString());
        Assert.Equal("agent.confidential=true agent.aa_kbc_params=online_sev_kbc::192.0.2.9:44444", GuestKernelParameters.Compose(KernelParameters.Empty, new AgentConfig { CdhApiTimeout = TimeSpan.Zero, LaunchProcessTimeout = TimeSpan.Zero }, guided, launch).ToString());
        Assert.Equal("agent.confidential=true", GuestKernelParameters.ForLaunch(offline).ToString());
    }

    [Fact]
    public void Every_confidential_launch_tells_the_guest_agent_and_a_plain_one_does_not()
    {
        var snp = new SevSnpLaunch { Policy = 0x30000, CBitPosition = 51, ReducedPhysBits = 1, Firmware = "/f" };

        Assert.Equal("agent.confidential=true", GuestKernelParameters.ForLaunch(snp).ToString());
        Assert.Empty(GuestKernelParameters.ForLaunch(TeeLaunch.None));
    }
}
