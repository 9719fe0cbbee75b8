namespace Sealpod.HostCheck.Containerd;

/// <summary>containerd's configuration as far as the runtime checks need it: version, CRI runtimes, files read.</summary>
public sealed record ContainerdConfigSnapshot(
    string Path,
    ContainerdConfigStatus Status,
    long Version,
    string CriPluginTable,
    IReadOnlyList<ContainerdRuntimeEntry> Runtimes,
    IReadOnlyList<string> FilesRead,
    string? Error);
