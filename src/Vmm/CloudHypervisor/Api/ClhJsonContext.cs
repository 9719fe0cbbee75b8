namespace Sealpod.Vmm.CloudHypervisor.Api;

/// <summary>Source-generated (reflection-free, AOT-safe) JSON contracts of Cloud Hypervisor's API, in its snake_case.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(VmConfig))]
[JsonSerializable(typeof(DiskConfig))]
[JsonSerializable(typeof(VmRemoveDevice))]
[JsonSerializable(typeof(VmmPingResponse))]
[JsonSerializable(typeof(VmInfo))]
[JsonSerializable(typeof(PciDeviceInfo))]
public sealed partial class ClhJsonContext : JsonSerializerContext;
