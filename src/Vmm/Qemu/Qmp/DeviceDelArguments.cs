namespace Sealpod.Vmm.Qemu.Qmp;

/// <summary><c>device_del</c>.</summary>
/// <param name="Id">The device id given to <c>device_add</c>.</param>
public sealed record DeviceDelArguments([property: JsonPropertyName("id")] string Id);
