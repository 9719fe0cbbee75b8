namespace Sealpod.CriHarness;

/// <summary>The runtime handlers (RunPodSandboxRequest.runtime_handler) the harness's containerd configures.</summary>
public static class CriHandlers
{
    /// <summary>runc: the pod's containers on the host, the reference every sealpod result is compared with.</summary>
    public const string Runc = "runc";

    /// <summary>sealpod: the pod in a VM, through containerd-shim-sealpod-v2 and the staged development configuration.</summary>
    public const string Sealpod = "sealpod";
}
