namespace Sealpod.Agent.Storage;

/// <summary>The host's device addresses (a storage's or device's source) read as requests: a bad one is the caller's error.</summary>
internal static class DeviceAddresses
{
    public static PciPath ParsePci(string? text) =>
        PciPath.TryParse(text, out var path) ? path! : throw new InvalidArgumentException($"'{text}' is not a PCI path ({PciPath.Expected})");

    public static ScsiAddress ParseScsi(string? text) =>
        ScsiAddress.TryParse(text, out var address) ? address : throw new InvalidArgumentException($"SCSI address '{text}' is invalid: expected {ScsiAddress.Expected}");
}
