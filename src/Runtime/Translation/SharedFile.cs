namespace Sealpod.Runtime.Translation;

/// <summary>A host file a container bind-mounts, copied into the guest at <paramref name="GuestPath"/> before the container is created.</summary>
public sealed record SharedFile(string HostPath, string GuestPath, bool ReadOnly);
