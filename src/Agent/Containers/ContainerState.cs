namespace Sealpod.Agent.Containers;

/// <summary>The life of a container, as the Kata and containerd APIs see it.</summary>
internal enum ContainerState
{
    /// <summary>The runtime created it; its init waits to be started.</summary>
    Created,

    Running,

    /// <summary>Frozen in its cgroup.</summary>
    Paused,

    /// <summary>Its init exited (with every other process of its pid namespace).</summary>
    Stopped,
}
