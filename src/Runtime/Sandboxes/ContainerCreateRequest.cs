using Sealpod.Runtime.IO;
using Sealpod.Runtime.Rootfs;

namespace Sealpod.Runtime.Sandboxes;

/// <summary>containerd's Create in domain form.</summary>
/// <param name="ConfigPath">The runtime option <c>ConfigPath</c>, if containerd sent one.</param>
public sealed record ContainerCreateRequest(string Id, string Bundle, IReadOnlyList<RootfsMount> Rootfs, ProcessIoPaths Io, string? ConfigPath);
