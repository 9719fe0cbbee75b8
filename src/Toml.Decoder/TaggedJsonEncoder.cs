using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Sealpod.Toml.Decoder;

/// <summary>
/// Writes a parsed document as toml-test's tagged JSON: tables are objects, arrays are arrays, and every
/// scalar is <c>{"type": ..., "value": "..."}</c> with the value spelled as a string.
/// </summary>
public static class TaggedJsonEncoder
{
    public static void Write(Utf8JsonWriter writer, TomlValue value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        switch (value)
        {
            case TomlTable table:
                writer.WriteStartObject();
                foreach (var (key, item) in table)
                {
                    writer.WritePropertyName(key);
                    Write(writer, item);
                }

                writer.WriteEndObject();
                break;
            case TomlArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteStartObject();
                writer.WriteString("type", value.TypeName);
                writer.WriteString("value", FormatScalar(value));
                writer.WriteEndObject();
                break;
        }
    }

    public static byte[] ToUtf8(TomlValue value, bool indented = false)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Write(writer, value);
        }

        return buffer.ToArray();
    }

    public static string FormatScalar(TomlValue value) => value switch
    {
        TomlString s => s.Value,
        TomlInteger i => i.Value.ToString(CultureInfo.InvariantCulture),
        TomlBoolean b => b.Value ? "true" : "false",
        TomlFloat f => FormatFloat(f.Value),
        TomlDateTime d => FormatDateTime(d),
        _ => throw new ArgumentException($"not a scalar: {value.TypeName}", nameof(value)),
    };

    public static string FormatFloat(double value) => value switch
    {
        double.PositiveInfinity => "inf",
        double.NegativeInfinity => "-inf",
        _ when double.IsNaN(value) => "nan",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>RFC 3339 as toml-test spells it: 'T' separator, fraction without trailing zeros, 'Z' for UTC.</summary>
    public static string FormatDateTime(TomlDateTime value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sb = new StringBuilder(35);
        if (value.Kind != TomlDateTimeKind.LocalTime)
        {
            sb.Append(value.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        if (value.Kind == TomlDateTimeKind.LocalDate)
        {
            return sb.ToString();
        }

        if (value.Kind != TomlDateTimeKind.LocalTime)
        {
            sb.Append('T');
        }

        sb.Append(value.Time.ToString("HH:mm:ss", CultureInfo.InvariantCulture));
        if (value.Nanosecond != 0)
        {
            sb.Append('.').Append(value.Nanosecond.ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0'));
        }

        if (value.Kind == TomlDateTimeKind.OffsetDateTime)
        {
            var offset = value.Offset ?? TimeSpan.Zero;
            if (offset == TimeSpan.Zero)
            {
                sb.Append('Z');
            }
            else
            {
                sb.Append(offset < TimeSpan.Zero ? '-' : '+').Append(offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }
}
