using System.Text.Json.Serialization;

namespace Sealpod.Snapshotter.Store;

/// <summary>Source-generated JSON for the state file (no reflection).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, UseStringEnumConverter = true)]
[JsonSerializable(typeof(SnapshotState))]
internal sealed partial class SnapshotStateJson : JsonSerializerContext;
