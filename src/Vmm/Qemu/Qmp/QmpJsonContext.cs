namespace Sealpod.Vmm.Qemu.Qmp;

/// <summary>Source-generated (reflection-free, AOT-safe) JSON contracts for the QMP messages we use.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(QmpGreeting))]
[JsonSerializable(typeof(QmpStatus))]
[JsonSerializable(typeof(QmpCpuInfo[]))]
[JsonSerializable(typeof(BlockdevAddArguments))]
[JsonSerializable(typeof(BlockdevDelArguments))]
[JsonSerializable(typeof(DeviceAddArguments))]
[JsonSerializable(typeof(DeviceDelArguments))]
[JsonSerializable(typeof(SevInjectLaunchSecretArguments))]
internal sealed partial class QmpJsonContext : JsonSerializerContext;
