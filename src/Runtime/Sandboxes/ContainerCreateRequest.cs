namespace Sealpod.Runtime.Sandboxes;

/// <summary>containerd's Create in domain form.</summary>
/// <param name="ConfigPath">The runtime option <c>ConfigPath</c>, if containerd sent one.</param>
/// <param name="ConfigBody">The runtime option <c>ConfigBody</c> (containerd 2.x: the TOML itself), which wins over the path.</param>
public sealed record ContainerCreateRequest(string Id, string Bundle, IReadOnlyList<RootfsMount> Rootfs, ProcessIoPaths Io, string? ConfigPath, string? ConfigBody = null);
