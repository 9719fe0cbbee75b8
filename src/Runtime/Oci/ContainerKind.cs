namespace Sealpod.Runtime.Oci;

/// <summary>What a container is to its pod, read from the CRI annotations.</summary>
public enum ContainerKind
{
    /// <summary>No pod annotations: a container alone in its own VM (<c>ctr run</c>).</summary>
    Single,

    /// <summary>The pod's sandbox (pause) container: it boots the VM the pod's containers join.</summary>
    PodSandbox,

    /// <summary>A container of a pod whose VM already runs.</summary>
    PodContainer,
}
