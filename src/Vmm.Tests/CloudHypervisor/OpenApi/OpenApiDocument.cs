namespace Sealpod.Vmm.Tests.CloudHypervisor.OpenApi;

/// <summary>
/// Cloud Hypervisor's OpenAPI document (vendored in schema/cloud-hypervisor.yaml, so a clone needs nothing beside it), used to
/// check the requests Sealpod sends: the endpoint and method exist, a body is sent exactly when the operation takes
/// one, and the body matches its schema: types, integer formats and minimums, enums, required members, and no member
/// the schema does not define (a typo or a field this Cloud Hypervisor does not know would be rejected at run time).
/// Deprecated members count as errors too: new code should not send them.
/// </summary>
public sealed class OpenApiDocument
{
    private readonly YamlMapping _paths;
    private readonly YamlMapping _schemas;

    private OpenApiDocument(YamlMapping root)
    {
        _paths = root["paths"] as YamlMapping ?? throw new FormatException("no paths");
        _schemas = (root["components"] as YamlMapping)?["schemas"] as YamlMapping ?? throw new FormatException("no components.schemas");
    }

    /// <summary>The copy vendored in this repository (schema/), next to the test assembly.</summary>
    public static string VendoredSchemaPath => Path.Combine(AppContext.BaseDirectory, "CloudHypervisor", "OpenApi", "schema", "cloud-hypervisor.yaml");

    /// <summary>Cloud Hypervisor's schema the checks use: the vendored copy, or SEALPOD_CLH_OPENAPI.</summary>
    public static string SchemaPath => Environment.GetEnvironmentVariable("SEALPOD_CLH_OPENAPI") ?? VendoredSchemaPath;

    public static OpenApiDocument Load(string path) => new(MiniYaml.Parse(File.ReadAllText(path)) as YamlMapping ?? throw new FormatException("the document is not a mapping"));

    public IEnumerable<string> SchemaNames => _schemas.Entries.Keys;

    public IEnumerable<string> Paths => _paths.Entries.Keys;

    /// <summary>Every problem with one request; empty when it conforms.</summary>
    public IReadOnlyList<string> ValidateRequest(string method, string path, JsonElement? body)
    {
        var errors = new List<string>();
        var relative = path.StartsWith("/api/v1", StringComparison.Ordinal) ? path["/api/v1".Length..] : path;
        if (_paths[relative] is not YamlMapping item)
        {
            return [$"{method} {path}: no such endpoint"];
        }

        if (item[method.ToLowerInvariant()] is not YamlMapping operation)
        {
            return [$"{method} {path}: the endpoint has no {method} operation"];
        }

        var requestBody = operation["requestBody"] as YamlMapping;
        var schema = ((requestBody?["content"] as YamlMapping)?["application/json"] as YamlMapping)?["schema"];
        var hasBody = body is { ValueKind: not JsonValueKind.Undefined and not JsonValueKind.Null };
        if (schema is null)
        {
            if (hasBody)
            {
                errors.Add($"{method} {path}: the operation takes no body, but one was sent");
            }

            return errors;
        }

        if (!hasBody)
        {
            if (requestBody?.Text("required") == "true")
            {
                errors.Add($"{method} {path}: the operation requires a body");
            }

            return errors;
        }

        Validate(schema, body!.Value, "$", errors);
        return errors;
    }

    /// <summary>Checks <paramref name="value"/> against the named component schema.</summary>
    public IReadOnlyList<string> ValidateSchema(string schemaName, JsonElement value)
    {
        var errors = new List<string>();
        Validate(new YamlMapping(new Dictionary<string, YamlNode> { ["$ref"] = new YamlScalar("#/components/schemas/" + schemaName) }), value, "$", errors);
        return errors;
    }

    private void Validate(YamlNode schemaNode, JsonElement value, string at, List<string> errors)
    {
        var schema = Resolve(schemaNode);
        if (schema.Text("deprecated") == "true")
        {
            errors.Add($"{at}: is deprecated");
        }

        if (schema["enum"] is YamlSequence choices)
        {
            var text = value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
            if (!choices.Items.OfType<YamlScalar>().Any(c => c.Value == text))
            {
                errors.Add($"{at}: {value.GetRawText()} is not one of [{string.Join(", ", choices.Items.OfType<YamlScalar>().Select(c => c.Value))}]");
            }
        }

        switch (schema.Text("type"))
        {
            case "object":
                ValidateObject(schema, value, at, errors);
                break;
            case "array":
                if (!IsKind(value, "an array", at, errors, JsonValueKind.Array))
                {
                    break;
                }

                var index = 0;
                foreach (var element in value.EnumerateArray())
                {
                    Validate(schema["items"] ?? throw new FormatException($"{at}: array schema without items"), element, $"{at}[{index++}]", errors);
                }

                break;
            case "string":
                IsKind(value, "a string", at, errors, JsonValueKind.String);
                break;
            case "boolean":
                IsKind(value, "a boolean", at, errors, JsonValueKind.True, JsonValueKind.False);
                break;
            case "integer":
                ValidateInteger(schema, value, at, errors);
                break;
            case "number":
                IsKind(value, "a number", at, errors, JsonValueKind.Number);
                break;
            case null when schema["properties"] is not null:
                ValidateObject(schema, value, at, errors);
                break;
            case null:
                break;
            default:
                throw new FormatException($"{at}: schema type {schema.Text("type")} is not supported");
        }
    }

    /// <summary>Whether <paramref name="value"/> is of one of <paramref name="kinds"/>; if not, says so at <paramref name="at"/>.</summary>
    private static bool IsKind(JsonElement value, string expected, string at, List<string> errors, params JsonValueKind[] kinds)
    {
        if (kinds.Contains(value.ValueKind))
        {
            return true;
        }

        errors.Add($"{at}: expected {expected}, found {value.ValueKind}");
        return false;
    }

    private void ValidateObject(YamlMapping schema, JsonElement value, string at, List<string> errors)
    {
        if (!IsKind(value, "an object", at, errors, JsonValueKind.Object))
        {
            return;
        }

        var properties = schema["properties"] as YamlMapping;
        var additional = schema["additionalProperties"];
        foreach (var required in (schema["required"] as YamlSequence)?.Items.OfType<YamlScalar>() ?? [])
        {
            if (!value.TryGetProperty(required.Value, out _))
            {
                errors.Add($"{at}: required member \"{required.Value}\" is missing");
            }
        }

        foreach (var member in value.EnumerateObject())
        {
            if (properties?[member.Name] is { } memberSchema)
            {
                Validate(memberSchema, member.Value, $"{at}.{member.Name}", errors);
            }
            else if (additional is YamlMapping additionalSchema)
            {
                Validate(additionalSchema, member.Value, $"{at}.{member.Name}", errors);
            }
            else
            {
                errors.Add($"{at}: member \"{member.Name}\" is not in the schema");
            }
        }
    }

    private static void ValidateInteger(YamlMapping schema, JsonElement value, string at, List<string> errors)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            errors.Add($"{at}: expected an integer, found {value.GetRawText()}");
            return;
        }

        var (min, max) = schema.Text("format") switch
        {
            "uint8" => (0L, (long)byte.MaxValue),
            "int16" => (short.MinValue, short.MaxValue),
            "int32" => (int.MinValue, int.MaxValue),
            _ => (long.MinValue, long.MaxValue),
        };
        if (schema.Text("minimum") is { } minimum)
        {
            min = Math.Max(min, long.Parse(minimum, CultureInfo.InvariantCulture));
        }

        if (number < min || number > max)
        {
            errors.Add($"{at}: {number} is outside {min}..{max}");
        }
    }

    private YamlMapping Resolve(YamlNode node)
    {
        var schema = node as YamlMapping ?? throw new FormatException("a schema is not a mapping");
        for (var depth = 0; schema.Text("$ref") is { } reference; depth++)
        {
            const string Prefix = "#/components/schemas/";
            if (depth > 16 || !reference.StartsWith(Prefix, StringComparison.Ordinal))
            {
                throw new FormatException($"unsupported $ref {reference}");
            }

            schema = _schemas[reference[Prefix.Length..]] as YamlMapping ?? throw new FormatException($"$ref to unknown schema {reference}");
        }

        return schema;
    }
}
