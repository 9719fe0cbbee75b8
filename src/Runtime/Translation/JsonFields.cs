namespace Sealpod.Runtime.Translation;

/// <summary>
/// Typed reads of optional OCI JSON fields. A missing or null field reads as the default; a field of the wrong
/// type is an <see cref="InvalidArgumentException"/> naming its full path, so a bad spec says where it is bad.
/// </summary>
internal readonly struct JsonFields(JsonElement element, string path)
{
    public JsonElement Element { get; } = element;

    public string Path { get; } = path;

    public bool Has(string name) => TryGet(name, out _);

    public string String(string name) => TryGet(name, out var value)
        ? value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Wrong(name, "a string", value)
        : string.Empty;

    public bool Bool(string name) => TryGet(name, out var value)
        ? value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Wrong(name, "true or false", value),
        }
        : false;

    public long Int64(string name) => TryGet(name, out var value)
        ? value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long n) ? n : throw Wrong(name, "a 64-bit integer", value)
        : 0;

    public ulong UInt64(string name) => TryGet(name, out var value)
        ? value.ValueKind == JsonValueKind.Number && value.TryGetUInt64(out ulong n) ? n : throw Wrong(name, "an unsigned 64-bit integer", value)
        : 0;

    public uint UInt32(string name) => TryGet(name, out var value)
        ? value.ValueKind == JsonValueKind.Number && value.TryGetUInt32(out uint n) ? n : throw Wrong(name, "an unsigned 32-bit integer", value)
        : 0;

    public IEnumerable<string> Strings(string name) => Array(name, "an array of strings", static (f, item, at) =>
        item.ValueKind == JsonValueKind.String ? item.GetString()! : throw f.Wrong(at, "a string", item));

    public IEnumerable<uint> UInt32s(string name) => Array(name, "an array of integers", static (f, item, at) =>
        item.ValueKind == JsonValueKind.Number && item.TryGetUInt32(out uint n) ? n : throw f.Wrong(at, "an unsigned 32-bit integer", item));

    /// <summary>A nested object, or null when absent.</summary>
    public JsonFields? Object(string name) => TryGet(name, out var value)
        ? value.ValueKind == JsonValueKind.Object ? new JsonFields(value, $"{Path}.{name}") : throw Wrong(name, "an object", value)
        : null;

    /// <summary>The objects of an array field.</summary>
    public IEnumerable<JsonFields> Objects(string name) => Array(name, "an array of objects", static (f, item, at) =>
        item.ValueKind == JsonValueKind.Object ? new JsonFields(item, $"{f.Path}.{at}") : throw f.Wrong(at, "an object", item));

    /// <summary>A string-to-string map field.</summary>
    public IEnumerable<KeyValuePair<string, string>> StringMap(string name)
    {
        if (!TryGet(name, out var value))
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Wrong(name, "an object of strings", value);
        }

        var list = new List<KeyValuePair<string, string>>();
        foreach (var property in value.EnumerateObject())
        {
            list.Add(new(property.Name, property.Value.ValueKind == JsonValueKind.String
                ? property.Value.GetString()!
                : throw Wrong($"{name}.{property.Name}", "a string", property.Value)));
        }

        return list;
    }

    /// <summary>An array field read item by item; <paramref name="read"/> gets each item with its name (<c>args[2]</c>).</summary>
    private List<T> Array<T>(string name, string expected, Func<JsonFields, JsonElement, string, T> read)
    {
        if (!TryGet(name, out var value))
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Wrong(name, expected, value);
        }

        var list = new List<T>(value.GetArrayLength());
        int index = 0;
        foreach (var item in value.EnumerateArray())
        {
            list.Add(read(this, item, $"{name}[{index}]"));
            index++;
        }

        return list;
    }

    private bool TryGet(string name, out JsonElement value) =>
        Element.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    private InvalidArgumentException Wrong(string name, string expected, JsonElement found) =>
        new($"{Path}.{name}: expected {expected}, found {Describe(found)}");

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"string \"{value.GetString()}\"",
        JsonValueKind.Number => $"number {value.GetRawText()}",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.True or JsonValueKind.False => $"boolean {value.GetRawText()}",
        _ => value.ValueKind.ToString(),
    };
}
