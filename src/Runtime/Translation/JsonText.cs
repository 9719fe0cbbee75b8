namespace Sealpod.Runtime.Translation;

/// <summary>
/// Checks once that every string and member name of an OCI JSON document decodes to text. JsonDocument accepts
/// invalid UTF-8 inside strings and lone surrogate escapes (<c>"\ud800"</c>) and only fails when a reader asks for
/// the string, with an InvalidOperationException; checked at the door, every later reader of the spec (translation,
/// cgroups, network, DNS) can take GetString as safe, and the error names the field.
/// </summary>
internal static class JsonText
{
    public static void EnsureDecodable(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                Decode(element, path);
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    EnsureDecodable(item, $"{path}[{index++}]");
                }

                break;
            case JsonValueKind.Object:
                foreach (var member in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = member.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        throw new InvalidArgumentException($"{path}: a member name is not valid Unicode text (invalid UTF-8 or a lone surrogate escape)");
                    }

                    EnsureDecodable(member.Value, $"{path}.{name}");
                }

                break;
        }
    }

    private static void Decode(JsonElement element, string path)
    {
        try
        {
            _ = element.GetString();
        }
        catch (InvalidOperationException)
        {
            throw new InvalidArgumentException($"{path}: expected a string of valid Unicode text, found invalid UTF-8 or a lone surrogate escape");
        }
    }
}
