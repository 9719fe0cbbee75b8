namespace Sealpod.Vmm.Qemu.Capabilities;

/// <summary>What one QEMU binary says about itself: its version line and the user-creatable objects it has.</summary>
/// <param name="Path">The binary.</param>
/// <param name="Version">The version number from <c>--version</c> (for example 7.2.22), or "unknown".</param>
/// <param name="Objects">The types <c>-object help</c> lists.</param>
public sealed record QemuBinaryInfo(string Path, string Version, IReadOnlySet<string> Objects)
{
    /// <summary>"QEMU 7.2.22 at /usr/bin/qemu-system-x86_64", for messages.</summary>
    public string Describe() => $"QEMU {Version} at {Path}";
}
