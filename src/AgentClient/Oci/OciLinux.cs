namespace Sealpod.AgentClient.Oci;

/// <summary>The Linux part of a spec (runtime-spec <c>linux</c>).</summary>
public sealed record OciLinux
{
    public IReadOnlyList<OciIdMapping> UidMappings { get; init; } = [];

    public IReadOnlyList<OciIdMapping> GidMappings { get; init; } = [];

    public IReadOnlyDictionary<string, string> Sysctl { get; init; } = System.Collections.ObjectModel.ReadOnlyDictionary<string, string>.Empty;

    public OciLinuxResources? Resources { get; init; }

    public string CgroupsPath { get; init; } = string.Empty;

    public IReadOnlyList<OciNamespace> Namespaces { get; init; } = [];

    public IReadOnlyList<OciDevice> Devices { get; init; } = [];

    public OciSeccomp? Seccomp { get; init; }

    public string RootfsPropagation { get; init; } = string.Empty;

    public IReadOnlyList<string> MaskedPaths { get; init; } = [];

    public IReadOnlyList<string> ReadonlyPaths { get; init; } = [];

    public string MountLabel { get; init; } = string.Empty;

    public OciIntelRdt? IntelRdt { get; init; }
}
