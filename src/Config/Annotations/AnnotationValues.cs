using System.IO.Compression;
using System.Text.Json;

namespace Sealpod.Config;

/// <summary>Parses annotation values the way Kata's Go runtime does (strconv.ParseBool, ParseUint, JSON arrays).</summary>
internal static class AnnotationValues
{
    private static readonly string[] TrueWords = ["1", "t", "T", "TRUE", "true", "True"];
    private static readonly string[] FalseWords = ["0", "f", "F", "FALSE", "false", "False"];

    public static bool TryBool(string text, out bool value)
    {
        value = TrueWords.Contains(text, StringComparer.Ordinal);
        return value || FalseWords.Contains(text, StringComparer.Ordinal);
    }

    public static bool TryUInt(string text, ulong max, out ulong value) =>
        ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value <= max;

    public static bool TryFloat(string text, out float value) =>
        float.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value)
        && float.IsFinite(value);

    /// <summary><c>virtio_fs_extra_args</c>: a JSON array of strings, as Kata unmarshals it.</summary>
    public static bool TryStringArray(string text, out EquatableArray<string> value)
    {
        value = [];
        try
        {
            using var json = JsonDocument.Parse(text);
            if (json.RootElement.ValueKind != JsonValueKind.Array)
            {
                return false;
            }

            var items = new List<string>();
            foreach (var element in json.RootElement.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.String)
                {
                    return false;
                }

                items.Add(element.GetString()!);
            }

            value = items.ToEquatableArray();
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// Init-Data must be base64 of a gzip stream that inflates; checking it here turns a malformed annotation into a
    /// clear error at sandbox creation instead of a guest that fails attestation later.
    /// </summary>
    public static string? CheckInitData(string text)
    {
        byte[] compressed;
        try
        {
            compressed = Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            return "expected base64 of gzip-compressed Init-Data TOML, found a value that is not valid base64";
        }

        try
        {
            using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
            gzip.CopyTo(Stream.Null);
            return null;
        }
        catch (InvalidDataException)
        {
            return "expected base64 of gzip-compressed Init-Data TOML, found base64 that is not gzip data";
        }
    }

    /// <summary>An absolute path without <c>..</c> segments (a glob such as <c>/opt/*/x</c> must not be escapable).</summary>
    public static bool IsCleanAbsolutePath(string path) =>
        StringRule.IsAbsolute(path) && !path.Split('/').Any(segment => segment is ".." or ".");

    /// <summary>Quotes what was found, for messages.</summary>
    public static string Found(string text) => "found " + ValueText.Quote(text);
}
