using System.Collections.Frozen;
using System.Text;
using Sealpod.Config.Toml;

namespace Sealpod.InitData;

/// <summary>
/// One Init-Data document (Confidential Containers' initdata specification, version 0.1.0): a TOML file with
/// <c>version</c>, <c>algorithm</c> and a <c>[data]</c> table of strings such as <c>aa.toml</c>, <c>cdh.toml</c> and
/// <c>policy.rego</c>. The document keeps the exact TOML bytes it was read from, because the digest bound into the TEE
/// and recomputed in the guest is over those bytes, not over a re-serialisation.
/// </summary>
public sealed class InitDataDocument
{
    /// <summary>The only version the specification defines.</summary>
    public const string SupportedVersion = "0.1.0";

    private readonly byte[] _toml;

    // Computed on first use: the guest agent parses documents but never digests them, and its initrd has no OpenSSL,
    // which .NET's SHA-2 needs on Linux.
    private readonly Lazy<InitDataDigest> _digest;

    private InitDataDocument(byte[] toml, InitDataAlgorithm algorithm, FrozenDictionary<string, string> data)
    {
        _toml = toml;
        Algorithm = algorithm;
        Data = data;
        _digest = new Lazy<InitDataDigest>(() => InitDataDigest.Compute(algorithm, toml));
    }

    /// <summary><c>version</c>: always <see cref="SupportedVersion"/>.</summary>
    public string Version => SupportedVersion;

    /// <summary><c>algorithm</c>.</summary>
    public InitDataAlgorithm Algorithm { get; }

    /// <summary>The <c>[data]</c> entries.</summary>
    public IReadOnlyDictionary<string, string> Data { get; }

    /// <summary>The TOML exactly as given.</summary>
    public ReadOnlySpan<byte> Toml => _toml;

    /// <summary>The digest of <see cref="Toml"/> with <see cref="Algorithm"/>.</summary>
    public InitDataDigest Digest => _digest.Value;

    /// <summary>Parses and validates a document.</summary>
    /// <exception cref="InitDataException">Not UTF-8 TOML, or the version, algorithm or [data] table is wrong.</exception>
    public static InitDataDocument Parse(ReadOnlySpan<byte> toml)
    {
        if (toml.Length > InitDataLimits.MaxTomlBytes)
        {
            throw new InitDataException($"Init-Data TOML is {toml.Length} bytes; at most {InitDataLimits.MaxTomlBytes} are accepted");
        }

        TomlTable root;
        try
        {
            root = TomlReader.Parse(toml, "initdata.toml");
        }
        catch (TomlException e)
        {
            throw new InitDataException($"Init-Data is not valid TOML: {e.Message}", e);
        }

        if (!root.TryGetValue("version", out var version) || version is not TomlString { Value: SupportedVersion })
        {
            throw new InitDataException($"Init-Data version: expected \"{SupportedVersion}\", found {Describe(version)}");
        }

        if (!root.TryGetValue("algorithm", out var algorithmValue)
            || algorithmValue is not TomlString algorithmName
            || !InitDataAlgorithms.TryParse(algorithmName.Value, out var algorithm))
        {
            throw new InitDataException($"Init-Data algorithm: expected one of {string.Join(", ", InitDataAlgorithms.Names.Select(n => $"\"{n}\""))}, found {Describe(algorithmValue)}");
        }

        if (!root.TryGetValue("data", out var dataValue) || dataValue is not TomlTable dataTable)
        {
            throw new InitDataException($"Init-Data data: expected a [data] table of strings, found {Describe(dataValue)}");
        }

        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in dataTable)
        {
            if (value is not TomlString text)
            {
                throw new InitDataException($"Init-Data data.\"{key}\": expected a string, found {Describe(value)}");
            }

            data[key] = text.Value;
        }

        return new InitDataDocument(toml.ToArray(), algorithm, data.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <summary>
    /// Writes a new document: <c>version</c>, <c>algorithm</c>, then <c>[data]</c> with every key quoted and every value a
    /// basic string, in key order, so the same input always gives the same bytes (and digest).
    /// </summary>
    public static InitDataDocument Create(InitDataAlgorithm algorithm, IReadOnlyDictionary<string, string> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var builder = new StringBuilder()
            .Append("version = \"").Append(SupportedVersion).Append("\"\n")
            .Append("algorithm = \"").Append(InitDataAlgorithms.NameOf(algorithm)).Append("\"\n\n[data]\n");
        foreach (var (key, value) in data.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            AppendBasicString(builder, key).Append(" = ");
            AppendBasicString(builder, value).Append('\n');
        }

        return Parse(Encoding.UTF8.GetBytes(builder.ToString()));
    }

    private static StringBuilder AppendBasicString(StringBuilder builder, string text)
    {
        builder.Append('"');
        foreach (var c in text)
        {
            _ = c switch
            {
                '"' => builder.Append("\\\""),
                '\\' => builder.Append("\\\\"),
                '\n' => builder.Append("\\n"),
                '\r' => builder.Append("\\r"),
                '\t' => builder.Append("\\t"),
                _ when char.IsControl(c) => builder.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture)),
                _ => builder.Append(c),
            };
        }

        return builder.Append('"');
    }

    private static string Describe(TomlValue? value) => value switch
    {
        null => "nothing",
        TomlString s => $"string \"{s.Value}\"",
        _ => value.TypeName,
    };
}
