namespace Sealpod.Vmm.Qemu.Qmp;

/// <summary><c>blockdev-del</c>.</summary>
/// <param name="NodeName">The node to remove; it must no longer be attached to a device.</param>
public sealed record BlockdevDelArguments([property: JsonPropertyName("node-name")] string NodeName);
