namespace Sealpod.Runtime.Sharing;

/// <summary>
/// A bind mount given to the guest through the virtio-fs shared directory: <paramref name="HostPath"/> is bind-mounted
/// under the sandbox's shared directory and the container's OCI mount names <paramref name="GuestPath"/> instead.
/// </summary>
public sealed record SharedBind(string HostPath, string GuestPath, bool ReadOnly, bool Recursive)
{
    /// <summary>The entry's name under the shared directory (the last part of <see cref="GuestPath"/>).</summary>
    public string Name => Path.GetFileName(GuestPath);
}
