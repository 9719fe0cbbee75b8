namespace Sealpod.Agent.Oci;

/// <summary>
/// Source-generated JSON for the runtime's files (config.json, exec process.json, update
/// resources), so the NativeAOT build needs no reflection. Unset (null) fields are left out, which
/// is how the runtime spec says "not specified".
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(OciSpec))]
[JsonSerializable(typeof(OciProcess))]
[JsonSerializable(typeof(OciResources))]
internal sealed partial class OciJsonContext : JsonSerializerContext;
