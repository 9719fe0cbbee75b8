namespace Sealpod.AgentClient.Oci;

/// <summary>
/// A container's OCI runtime spec as the guest agent takes it: the fields of the runtime-spec that Kata's
/// protobuf <c>Spec</c> carries (Solaris and Windows are left out). Unset strings are empty, unset numbers zero,
/// unset objects null, as in the wire message.
/// </summary>
public sealed record OciSpec
{
    public string Version { get; init; } = string.Empty;

    public OciProcess? Process { get; init; }

    public OciRoot? Root { get; init; }

    public string Hostname { get; init; } = string.Empty;

    public IReadOnlyList<OciMount> Mounts { get; init; } = [];

    public OciHooks? Hooks { get; init; }

    public IReadOnlyDictionary<string, string> Annotations { get; init; } = System.Collections.ObjectModel.ReadOnlyDictionary<string, string>.Empty;

    public OciLinux? Linux { get; init; }
}
