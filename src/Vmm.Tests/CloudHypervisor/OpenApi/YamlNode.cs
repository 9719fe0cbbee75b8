namespace Sealpod.Vmm.Tests.CloudHypervisor.OpenApi;

/// <summary>A node of the YAML subset <see cref="MiniYaml"/> reads.</summary>
public abstract record YamlNode;

/// <summary>A scalar, as text (numbers and booleans too; the schema says what they mean).</summary>
public sealed record YamlScalar(string Value) : YamlNode;

/// <summary>A mapping, keys in document order.</summary>
public sealed record YamlMapping(IReadOnlyDictionary<string, YamlNode> Entries) : YamlNode
{
    public YamlNode? this[string key] => Entries.GetValueOrDefault(key);

    public string? Text(string key) => (this[key] as YamlScalar)?.Value;
}

/// <summary>A sequence.</summary>
public sealed record YamlSequence(IReadOnlyList<YamlNode> Items) : YamlNode;
