using Sealpod.Tee.KernelParams;

namespace Sealpod.Vmm.Tests.Qemu;

/// <summary>
/// <c>sealpod measure</c> hashes what <see cref="QemuCommandLineFactory.MeasuredBoot"/> returns; it must be what the
/// driver launches: the same <c>-append</c>, the same vCPU count, the same <c>-cpu</c> model.
/// </summary>
public sealed class MeasuredBootTests
{
    private static readonly AgentConfig Agent = new()
    {
        EnableDebug = true,
        CdhApiTimeout = TimeSpan.FromSeconds(50),
        LaunchProcessTimeout = TimeSpan.FromSeconds(6),
    };

    private static QemuConfig Config => TestConfigs.CocoDev with
    {
        ConfidentialGuest = true,
        SharedFs = SharedFs.None,
        DisableBlockDeviceUse = true,
        DefaultBridges = 1,
        DefaultVcpus = 2,
        Firmware = "/usr/share/sealpod/AMDSEV.fd",
        KernelParams = KernelParameters.Parse("agent.aa_kbc_params=cc_kbc::http://192.0.2.1:8080 quiet"),
    };

    public static TheoryData<string> Launches() => ["snp", "sev-pre-attestation", "sev-es"];

    [Theory]
    [MemberData(nameof(Launches))]
    public void Measured_boot_is_what_the_driver_launches(string which)
    {
        var config = which == "sev-es" ? Config with { SevGuestPolicy = 0x7 } : Config with { GuestPreAttestation = which == "sev-pre-attestation" };
        TeeLaunch tee = which == "snp"
            ? new SevSnpLaunch { Policy = 0x30000, CBitPosition = 51, ReducedPhysBits = 1, Firmware = config.Firmware }
            : SevLaunch.From(config, cBitPosition: 47, reducedPhysBits: 1);
        var args = QemuCommandLineFactory.Create(new QemuLaunchRequest
        {
            Config = config,
            Spec = new VmSpec
            {
                SandboxId = "m1",
                RuntimeDirectory = "/run/sealpod/vm/m1",

                // As Sandbox.Launch sets it.
                AgentKernelParameters = GuestKernelParameters.ForAgent(Agent).Select(p => p.ToString()).ToArray(),
            },
            Accelerator = Accelerator.Kvm,
            Files = new QemuVmFiles("/run/sealpod/vm/m1"),
            AgentEndpoint = new VsockAgentEndpoint(77, VsockAgentEndpoint.DefaultPort),
            Host = TestConfigs.Host,
            Tee = tee,
            SevSession = config.GuestPreAttestation ? new SevLaunchSession("id", "/run/sealpod/vm/m1/godh.b64", "/run/sealpod/vm/m1/session_file.b64") : null,
        }).Build();

        var boot = QemuCommandLineFactory.MeasuredBoot(config, Agent, tee, TestConfigs.Host);

        Assert.Equal(Argv.ValueOf(args, "-append"), boot.CommandLine);
        Assert.Contains("agent.log=debug", boot.CommandLine, StringComparison.Ordinal);
        Assert.Contains("agent.aa_kbc_params=cc_kbc::http://192.0.2.1:8080", boot.CommandLine, StringComparison.Ordinal);
        Assert.StartsWith($"{boot.Vcpus},", Argv.ValueOf(args, "-smp"), StringComparison.Ordinal);
        Assert.Equal(2, boot.Vcpus);
        Assert.StartsWith(boot.CpuModel, Argv.ValueOf(args, "-cpu"), StringComparison.Ordinal);
        Assert.Equal(which == "snp" ? "EPYC-v4" : "host", boot.CpuModel);
        Assert.Equal(config.Kernel, Argv.ValueOf(args, "-kernel"));
        Assert.Equal(config.Firmware, boot.Firmware);
    }
}
