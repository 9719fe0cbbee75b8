namespace Sealpod.Config.Tests;

/// <summary>
/// Issue 12.5: the CCv0 SEV annotations and <c>config.agent.kernel_modules</c> need <c>enable_annotations</c> like the
/// hypervisor family, matched (whole-name) against the name after <c>io.katacontainers.config.</c>.
/// </summary>
public sealed class AnnotationGateTests
{
    private static readonly string Sev = Load.MinimalQemu + "confidential_guest = true\nguest_pre_attestation = true\n" + Load.TeeFirmware;

    public static TheoryData<string, string, string> Gated => new()
    {
        { KataAnnotations.PreAttestationEnabled, "false", "pre_attestation.enabled" },
        { KataAnnotations.PreAttestationUri, "192.0.2.1:44444", "pre_attestation.uri" },
        { KataAnnotations.SevPolicy, "1", "sev.policy" },
        { KataAnnotations.AgentKernelModules, "e1000e", "agent.kernel_modules" },
    };

    [Theory]
    [MemberData(nameof(Gated))]
    public void Refused_without_enable_annotations(string annotation, string value, string gateName)
    {
        var config = Load.Text(Sev + "enable_annotations = [\"default_memory\", \"kernel_modules\", \"policy\", \"enabled\", \"uri\"]\n");

        var e = Assert.Throws<ConfigurationException>(() => config.WithAnnotations(new Dictionary<string, string> { [annotation] = value }));

        Assert.Equal($"{annotation}: annotation is not enabled: enable_annotations in [hypervisor.qemu] has no pattern matching \"{gateName}\"", Assert.Single(e.Errors).ToString());
    }

    [Theory]
    [MemberData(nameof(Gated))]
    public void Honoured_when_enabled(string annotation, string value, string gateName)
    {
        var config = Load.Text(Sev + $"enable_annotations = [\"{gateName.Replace(".", "\\\\.", StringComparison.Ordinal)}\"]\n");

        var result = config.WithAnnotations(new Dictionary<string, string> { [annotation] = value });

        Assert.NotEqual(config, result);
    }

    [Fact]
    public void Other_agent_and_runtime_annotations_stay_ungated_as_in_Kata()
    {
        var result = Load.Text(Load.MinimalQemu).WithAnnotations(new Dictionary<string, string>
        {
            [KataAnnotations.AgentPrefix + "container_pipe_size"] = "65536",
            [KataAnnotations.RuntimePrefix + "create_container_timeout"] = "300",
        });

        Assert.Equal(65536, result.Agent.ContainerPipeSize);
    }

    [Fact]
    public void A_gated_sev_annotation_that_breaks_a_rule_is_blamed_by_name()
    {
        var config = Load.Text(Sev + "enable_annotations = [\"sev\\\\.policy\"]\n");

        var e = Assert.Throws<ConfigurationException>(() => config.WithAnnotations(new Dictionary<string, string> { [KataAnnotations.SevPolicy] = "7" }));

        Assert.StartsWith("io.katacontainers.config.sev.policy: 0x7 selects SEV-ES", Assert.Single(e.Errors).ToString(), StringComparison.Ordinal);
    }
}
