using System.Globalization;
using System.Text.Json;

namespace Sealpod.Toml.Decoder;

/// <summary>
/// Compares two tagged JSON documents the way toml-test does: same structure and types; strings and integers
/// exactly; floats by value (so <c>1e3</c> equals <c>1000.0</c>, NaN equals NaN); date-times by value
/// (fraction digits and separators normalised, offset date-times as instants).
/// </summary>
public static class TaggedJsonComparer
{
    /// <summary>Null when equal, otherwise where and how they differ.</summary>
    public static string? Difference(JsonElement expected, JsonElement actual) => Compare(expected, actual, "$");

    private static string? Compare(JsonElement expected, JsonElement actual, string path)
    {
        if (expected.ValueKind == JsonValueKind.Array)
        {
            if (actual.ValueKind != JsonValueKind.Array)
            {
                return $"{path}: expected an array, got {Describe(actual)}";
            }

            var e = expected.GetArrayLength();
            var a = actual.GetArrayLength();
            if (e != a)
            {
                return $"{path}: expected {e} array elements, got {a}";
            }

            for (var i = 0; i < e; i++)
            {
                var d = Compare(expected[i], actual[i], $"{path}[{i}]");
                if (d is not null)
                {
                    return d;
                }
            }

            return null;
        }

        if (expected.ValueKind != JsonValueKind.Object)
        {
            return $"{path}: expected JSON is neither object nor array ({expected.ValueKind})";
        }

        if (IsTagged(expected))
        {
            return CompareScalar(expected, actual, path);
        }

        if (actual.ValueKind != JsonValueKind.Object || IsTagged(actual))
        {
            return $"{path}: expected a table, got {Describe(actual)}";
        }

        var expectedKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in expected.EnumerateObject())
        {
            expectedKeys.Add(property.Name);
            if (!actual.TryGetProperty(property.Name, out var other))
            {
                return $"{path}: missing key \"{property.Name}\"";
            }

            var d = Compare(property.Value, other, $"{path}.{property.Name}");
            if (d is not null)
            {
                return d;
            }
        }

        foreach (var property in actual.EnumerateObject())
        {
            if (!expectedKeys.Contains(property.Name))
            {
                return $"{path}: unexpected key \"{property.Name}\"";
            }
        }

        return null;
    }

    // A tagged scalar is exactly {"type": string, "value": string}; a table may have keys named type/value too.
    private static bool IsTagged(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var count = 0;
        foreach (var _ in e.EnumerateObject())
        {
            count++;
        }

        return count == 2
            && e.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
            && e.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.String;
    }

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.Object when IsTagged(e) => $"{e.GetProperty("type").GetString()} {e.GetProperty("value").GetString()}",
        JsonValueKind.Object => "a table",
        _ => e.ValueKind.ToString(),
    };

    private static string? CompareScalar(JsonElement expected, JsonElement actual, string path)
    {
        if (!IsTagged(actual))
        {
            return $"{path}: expected {Describe(expected)}, got {Describe(actual)}";
        }

        var type = expected.GetProperty("type").GetString()!;
        var actualType = actual.GetProperty("type").GetString()!;
        var e = expected.GetProperty("value").GetString()!;
        var a = actual.GetProperty("value").GetString()!;
        if (!string.Equals(type, actualType, StringComparison.Ordinal))
        {
            return $"{path}: expected type {type} ({e}), got {actualType} ({a})";
        }

        var equal = type switch
        {
            "float" => FloatsEqual(e, a),
            "datetime" or "datetime-local" or "date-local" or "time-local" =>
                string.Equals(NormalizeDateTime(e), NormalizeDateTime(a), StringComparison.Ordinal),
            _ => string.Equals(e, a, StringComparison.Ordinal),
        };
        return equal ? null : $"{path}: expected {type} {Quote(e)}, got {Quote(a)}";
    }

    private static string Quote(string s) => JsonSerializer.Serialize(s);

    private static bool FloatsEqual(string expected, string actual)
    {
        if (!TryParseFloat(expected, out var e) || !TryParseFloat(actual, out var a))
        {
            return false;
        }

        // -0.0 and 0.0 are different TOML values, so the sign counts too.
        return double.IsNaN(e) ? double.IsNaN(a) : e.Equals(a) && double.IsNegative(e) == double.IsNegative(a);
    }

    private static bool TryParseFloat(string s, out double value)
    {
        var body = s.TrimStart('+', '-');
        var negative = s.StartsWith('-');
        switch (body)
        {
            case "inf":
                value = negative ? double.NegativeInfinity : double.PositiveInfinity;
                return true;
            case "nan":
                value = double.NaN;
                return true;
        }

        return double.TryParse(s.Replace("_", string.Empty, StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>
    /// One spelling per value: 'T' separator, nine fraction digits, offset date-times converted to UTC.
    /// Unparseable text is returned as is, so it can only equal the identical string.
    /// </summary>
    private static string NormalizeDateTime(string s)
    {
        var text = s.Trim();
        string? date = null;
        var rest = text;
        if (text.Length >= 10 && text[4] == '-')
        {
            date = text[..10];
            rest = text.Length > 10 ? text[11..] : string.Empty;
        }

        if (rest.Length == 0)
        {
            return date ?? text;
        }

        // rest: HH:MM:SS[.frac][Z|±HH:MM]
        if (rest.Length < 8)
        {
            return text;
        }

        var clock = rest[..8];
        var i = 8;
        var fraction = string.Empty;
        if (i < rest.Length && rest[i] == '.')
        {
            var j = i + 1;
            while (j < rest.Length && char.IsAsciiDigit(rest[j]))
            {
                j++;
            }

            fraction = rest[(i + 1)..j];
            i = j;
        }

        var nanos = (fraction + "000000000")[..9];
        var offset = rest[i..];
        if (offset.Length == 0 || date is null)
        {
            return $"{date}T{clock}.{nanos}{offset}";
        }

        if (!DateTime.TryParseExact($"{date}T{clock}", "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return text;
        }

        var shift = TimeSpan.Zero;
        if (offset is not ("Z" or "z"))
        {
            if (offset.Length != 6 || !TimeSpan.TryParseExact(offset[1..], @"hh\:mm", CultureInfo.InvariantCulture, out shift))
            {
                return text;
            }

            if (offset[0] == '-')
            {
                shift = -shift;
            }
        }

        var utc = local - shift;
        return $"{utc:yyyy-MM-dd'T'HH:mm:ss}.{nanos}Z";
    }
}
