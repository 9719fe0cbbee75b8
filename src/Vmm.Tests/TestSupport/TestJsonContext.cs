using System.Text.Json.Serialization;

namespace Sealpod.Vmm.Tests.TestSupport;

/// <summary>Arguments of QMP commands only the tests use.</summary>
public sealed record QomListArguments([property: JsonPropertyName("path")] string Path);

[JsonSerializable(typeof(QomListArguments))]
internal sealed partial class TestJsonContext : JsonSerializerContext;
