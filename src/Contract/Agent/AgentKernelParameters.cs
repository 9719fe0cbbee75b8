namespace Sealpod.Contract.Agent;

/// <summary>The <c>agent.*</c> kernel parameters the host sets and the guest agent reads (Kata's names).</summary>
public static class AgentKernelParameters
{
    /// <summary><c>agent.log=debug</c>: debug logging.</summary>
    public const string Log = "agent.log";

    /// <summary>The OCI runtime binary the agent runs containers with.</summary>
    public const string Runtime = "agent.runtime";

    /// <summary>Sealpod: the host launched a TEE (<c>true</c> or <c>1</c>).</summary>
    public const string Confidential = "agent.confidential";

    public const string Trace = "agent.trace";

    public const string ContainerPipeSize = "agent.container_pipe_size";

    /// <summary>Opens a shell into the guest; never settable by a pod.</summary>
    public const string DebugConsole = "agent.debug_console";

    public const string DebugConsoleVport = "agent.debug_console_vport";

    public const string CdhApiTimeout = "agent.cdh_api_timeout";

    public const string LaunchProcessTimeout = "agent.launch_process_timeout";

    /// <summary>The attestation agent's key broker client and URL.</summary>
    public const string AaKbcParams = "agent.aa_kbc_params";

    /// <summary>Seconds an in-guest image pull may take (Kata's agent: 1200).</summary>
    public const string ImagePullTimeout = "agent.image_pull_timeout";

    /// <summary>Where the registry credentials (containers-auth.json) are: <c>file:///path</c> (or a KBS resource URI).</summary>
    public const string ImageRegistryAuth = "agent.image_registry_auth";
}
