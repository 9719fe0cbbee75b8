namespace Sealpod.Runtime.Oci;

/// <summary>
/// Which pod a container belongs to, from the annotations containerd's CRI, CRI-O and dockershim write.
/// Decides which shim (and VM) a container goes to: a pod container joins its sandbox's; everything else
/// starts its own, under its own id (Kata's getAddress rules).
/// </summary>
public sealed record PodMembership(ContainerKind Kind, string SandboxId)
{
    /// <summary>Container-type keys, in Kata's order of precedence.</summary>
    public static readonly IReadOnlyList<string> ContainerTypeKeys =
        ["io.kubernetes.cri.container-type", "io.kubernetes.cri-o.ContainerType", "io.kubernetes.docker.type"];

    /// <summary>Sandbox-id keys, in Kata's order of precedence.</summary>
    public static readonly IReadOnlyList<string> SandboxIdKeys =
        ["io.kubernetes.cri.sandbox-id", "io.kubernetes.cri-o.SandboxID", "io.kubernetes.sandbox.id"];

    /// <summary>The id of the shim group: the sandbox's id for pod containers, the container's own id otherwise.</summary>
    public string GroupId => SandboxId;

    /// <summary>Reads the membership of container <paramref name="containerId"/>.</summary>
    /// <exception cref="InvalidArgumentException">A pod container without a sandbox id, or an unknown container type.</exception>
    public static PodMembership FromAnnotations(string containerId, IReadOnlyDictionary<string, string> annotations)
    {
        ArgumentException.ThrowIfNullOrEmpty(containerId);
        ArgumentNullException.ThrowIfNull(annotations);
        string? type = First(annotations, ContainerTypeKeys, out string? typeKey);
        string? sandboxId = First(annotations, SandboxIdKeys, out _);
        switch (type)
        {
            case null:
                return new PodMembership(ContainerKind.Single, containerId);
            case "sandbox" or "podsandbox":
                return new PodMembership(ContainerKind.PodSandbox, containerId);
            case "container":
                if (string.IsNullOrEmpty(sandboxId))
                {
                    throw new InvalidArgumentException(
                        $"annotation {typeKey}=container needs a sandbox id in one of {string.Join(", ", SandboxIdKeys)}");
                }

                Identifiers.ValidateContainerId(sandboxId, "sandbox id annotation");
                return new PodMembership(ContainerKind.PodContainer, sandboxId);
            default:
                throw new InvalidArgumentException($"annotation {typeKey}: unknown container type '{type}' (expected sandbox or container)");
        }
    }

    private static string? First(IReadOnlyDictionary<string, string> annotations, IReadOnlyList<string> keys, out string? key)
    {
        foreach (var candidate in keys)
        {
            if (annotations.TryGetValue(candidate, out var value) && value.Length > 0)
            {
                key = candidate;
                return value;
            }
        }

        key = null;
        return null;
    }
}
