namespace Sealpod.Agent.Images;

/// <summary>A content descriptor of the OCI image spec (manifests, configs, layers, index entries).</summary>
internal sealed record ContentDescriptor
{
    [JsonPropertyName("mediaType")] public string? MediaType { get; init; }

    [JsonPropertyName("digest")] public string Digest { get; init; } = "";

    [JsonPropertyName("size")] public long Size { get; init; }

    [JsonPropertyName("platform")] public ImagePlatform? Platform { get; init; }
}

internal sealed record ImagePlatform
{
    [JsonPropertyName("architecture")] public string? Architecture { get; init; }

    [JsonPropertyName("os")] public string? Os { get; init; }
}

/// <summary>
/// One JSON shape read for both an image manifest (config + layers) and an index / manifest list (manifests):
/// the media type says which, and the registry may not send it in the body, only in Content-Type.
/// </summary>
internal sealed record ManifestDocument
{
    [JsonPropertyName("schemaVersion")] public int SchemaVersion { get; init; }

    [JsonPropertyName("mediaType")] public string? MediaType { get; init; }

    [JsonPropertyName("config")] public ContentDescriptor? Config { get; init; }

    [JsonPropertyName("layers")] public IReadOnlyList<ContentDescriptor>? Layers { get; init; }

    [JsonPropertyName("manifests")] public IReadOnlyList<ContentDescriptor>? Manifests { get; init; }
}

/// <summary>The parts of an image config the agent uses (the process defaults come with the OCI spec from the host).</summary>
internal sealed record ImageConfigDocument
{
    [JsonPropertyName("architecture")] public string? Architecture { get; init; }

    [JsonPropertyName("os")] public string? Os { get; init; }

    [JsonPropertyName("rootfs")] public ImageRootfs? Rootfs { get; init; }
}

internal sealed record ImageRootfs
{
    [JsonPropertyName("diff_ids")] public IReadOnlyList<string>? DiffIds { get; init; }
}

/// <summary>containers-auth.json (<c>{"auths": {"registry": {"auth": base64(user:password)}}}</c>), image-rs's credential file.</summary>
internal sealed record RegistryAuthFile
{
    [JsonPropertyName("auths")] public Dictionary<string, RegistryAuthEntry>? Auths { get; init; }
}

internal sealed record RegistryAuthEntry
{
    [JsonPropertyName("auth")] public string? Auth { get; init; }

    [JsonPropertyName("username")] public string? Username { get; init; }

    [JsonPropertyName("password")] public string? Password { get; init; }
}

/// <summary>The token endpoint's answer (Docker's token spec): <c>token</c> or the OAuth2 <c>access_token</c>.</summary>
internal sealed record BearerTokenResponse
{
    [JsonPropertyName("token")] public string? Token { get; init; }

    [JsonPropertyName("access_token")] public string? AccessToken { get; init; }
}

/// <summary>The metadata JSON Kata puts in the image_guest_pull storage's driver option.</summary>
internal sealed record GuestPullDriverOption
{
    [JsonPropertyName("metadata")] public Dictionary<string, string>? Metadata { get; init; }
}

[JsonSourceGenerationOptions(ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true)]
[JsonSerializable(typeof(ManifestDocument))]
[JsonSerializable(typeof(ImageConfigDocument))]
[JsonSerializable(typeof(RegistryAuthFile))]
[JsonSerializable(typeof(BearerTokenResponse))]
[JsonSerializable(typeof(GuestPullDriverOption))]
internal sealed partial class ImageJsonContext : JsonSerializerContext;
