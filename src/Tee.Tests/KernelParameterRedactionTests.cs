using Sealpod.Tee.KernelParams;

namespace Sealpod.Tee.Tests;

/// <summary>What of the guest kernel command line may reach a host log.</summary>
public sealed class KernelParameterRedactionTests
{
    [Fact]
    public void Endpoint_and_credential_values_are_replaced_and_everything_else_is_kept_in_order()
    {
        var line = "console=ttyS0 agent.aa_kbc_params=cc_kbc::http://kbs.internal:8080 quiet "
            + "agent.image_registry_auth=kbs:///default/credential/registry agent.log=debug "
            + "agent.https_proxy=http://user:pw@proxy:3128 console=hvc0";

        var redacted = KernelParameterRedaction.Redact(line);

        Assert.Equal(
            "console=ttyS0 agent.aa_kbc_params=<redacted> quiet agent.image_registry_auth=<redacted> agent.log=debug "
            + "agent.https_proxy=<redacted> console=hvc0",
            redacted);
    }

    [Fact]
    public void A_quoted_value_is_replaced_whole()
    {
        Assert.Equal(
            "agent.aa_kbc_params=<redacted> dm-mod.create=\"a b\"",
            KernelParameterRedaction.Redact("agent.aa_kbc_params=\"cc_kbc::http://kbs:8080 extra\" dm-mod.create=\"a b\""));
    }

    [Fact]
    public void A_line_that_does_not_parse_is_replaced_whole()
    {
        Assert.Equal("<redacted>", KernelParameterRedaction.Redact("agent.aa_kbc_params=\"cc_kbc::http://kbs:8080"));
    }

    [Fact]
    public void The_composed_command_line_shows_the_kbs_parameter_by_name_only()
    {
        var hypervisor = new QemuConfig { KernelParams = KernelParameters.Parse("agent.aa_kbc_params=cc_kbc::http://192.0.2.1:8080") };
        var parameters = GuestKernelParameters.Compose(KernelParameters.Parse("panic=1"), new AgentConfig { CdhApiTimeout = TimeSpan.Zero, LaunchProcessTimeout = TimeSpan.Zero }, hypervisor, Launch.TeeLaunch.None);

        var redacted = KernelParameterRedaction.Redact(parameters);

        Assert.Equal("panic=1 agent.aa_kbc_params=<redacted>", redacted);
        Assert.Contains("192.0.2.1", parameters.ToString(), StringComparison.Ordinal);
    }
}
