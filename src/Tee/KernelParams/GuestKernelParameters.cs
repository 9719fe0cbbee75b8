using System.Globalization;
using Sealpod.Contract.Agent;
using Sealpod.Tee.Launch;

namespace Sealpod.Tee.KernelParams;

/// <summary>
/// Assembles the guest kernel command line the way Kata layers it, later layers replacing same-name parameters in place:
/// <list type="number">
/// <item>the VMM driver's defaults (console, quiet, panic=1, ...);</item>
/// <item>the runtime's own agent options from <c>[agent.kata]</c> (Kata's <c>KataAgentKernelParams</c>);</item>
/// <item>what the TEE launch implies: <c>agent.confidential=true</c> for every TEE; online SEV pre-attestation injects a connection secret only online_sev_kbc can
/// use, so the guest is pointed at <c>online_sev_kbc::&lt;kbs&gt;</c>;</item>
/// <item><c>kernel_params</c> from the configuration, which already carries the pod's
/// <c>io.katacontainers.config.hypervisor.kernel_params</c> annotation, checked against
/// <c>valid_annotation_kernel_params</c> when the configuration was applied. It comes last so an administrator can
/// always correct a default, for example give the guest the key broker's address as the guest sees it when the host
/// reaches it as localhost (the CoCo SEV guide sets <c>agent.aa_kbc_params</c> this way).</item>
/// </list>
/// </summary>
public static class GuestKernelParameters
{
    /// <summary>The debug console's vsock port (Kata's <c>kernelParamDebugConsoleVPortValue</c>).</summary>
    public const int DebugConsoleVport = 1026;

    /// <summary>The agent options the runtime derives from <c>[agent.kata]</c>.</summary>
    public static KernelParameters ForAgent(AgentConfig agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var parameters = KernelParameters.Empty;
        if (agent.EnableDebug)
        {
            parameters = parameters.With(new KernelParameter(AgentKernelParameters.Log, "debug"));
        }

        if (agent.EnableTracing)
        {
            parameters = parameters.With(new KernelParameter("agent.trace", "true"));
        }

        if (agent.ContainerPipeSize > 0)
        {
            parameters = parameters.With(new KernelParameter("agent.container_pipe_size", Number(agent.ContainerPipeSize)));
        }

        if (agent.DebugConsoleEnabled)
        {
            parameters = parameters
                .With(new KernelParameter("agent.debug_console", null))
                .With(new KernelParameter("agent.debug_console_vport", Number(DebugConsoleVport)));
        }

        if (agent.CdhApiTimeout > TimeSpan.Zero)
        {
            parameters = parameters.With(new KernelParameter("agent.cdh_api_timeout", Number((long)agent.CdhApiTimeout.TotalSeconds)));
        }

        if (agent.LaunchProcessTimeout > TimeSpan.Zero)
        {
            parameters = parameters.With(new KernelParameter("agent.launch_process_timeout", Number((long)agent.LaunchProcessTimeout.TotalSeconds)));
        }

        return parameters;
    }

    /// <summary>
    /// The flag that tells the guest agent it runs in a confidential guest (<c>agent.confidential=true</c>): it then
    /// applies coco-default's policy when given none and confines what the host may make it touch. The guest also
    /// recognises a TEE by its guest devices, but those need drivers and kernels the guest may not have.
    /// </summary>
    public const string ConfidentialFlag = AgentKernelParameters.Confidential;

    /// <summary>The parameters a TEE launch implies.</summary>
    public static KernelParameters ForLaunch(TeeLaunch launch)
    {
        ArgumentNullException.ThrowIfNull(launch);
        var parameters = launch.IsConfidential
            ? KernelParameters.Empty.With(new KernelParameter(ConfidentialFlag, "true"))
            : KernelParameters.Empty;
        return launch is SevLaunch { PreAttestation.AaKbcParams: { } kbc }
            ? parameters.With(new KernelParameter("agent.aa_kbc_params", kbc))
            : parameters;
    }

    /// <summary>The whole command line, layered as described on the type.</summary>
    public static KernelParameters Compose(KernelParameters vmmDefaults, AgentConfig agent, HypervisorConfig hypervisor, TeeLaunch launch)
    {
        ArgumentNullException.ThrowIfNull(vmmDefaults);
        ArgumentNullException.ThrowIfNull(hypervisor);
        return vmmDefaults
            .Merge(ForAgent(agent))
            .Merge(ForLaunch(launch))
            .Merge(hypervisor.KernelParams);
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
