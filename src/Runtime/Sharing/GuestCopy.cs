namespace Sealpod.Runtime.Sharing;

/// <summary>A bind mount's host source, copied into the guest at <paramref name="GuestPath"/> before the container is created.</summary>
public sealed record GuestCopy(HostTree Source, string GuestPath, bool ReadOnly);
