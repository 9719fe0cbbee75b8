namespace Sealpod.Agent.Images;

/// <summary>
/// An image reference as containerd and image-rs read it: <c>[registry/]repository[:tag][@digest]</c>. A name
/// without a registry (no dot, colon or "localhost" in its first component) is Docker Hub's, a single-component
/// repository there is under <c>library/</c>, and no tag and no digest means <c>latest</c>.
/// </summary>
internal sealed record ImageReference(string Registry, string Repository, string? Tag, string? Digest)
{
    public const string DockerHub = "docker.io";

    /// <summary>What the registry is asked for: the digest when there is one, else the tag.</summary>
    public string Reference => Digest ?? Tag ?? "latest";

    /// <summary>The host to contact: Docker Hub's API lives on registry-1.docker.io.</summary>
    public string Endpoint => Registry == DockerHub ? "registry-1.docker.io" : Registry;

    public static ImageReference Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length is 0 or > 4096 || text.Any(char.IsWhiteSpace))
        {
            throw new ImagePullException(text, "not an image reference ([registry/]repository[:tag][@sha256:digest])");
        }

        var rest = text;
        string? digest = null;
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = rest[(at + 1)..];
            rest = rest[..at];
            _ = BlobDigest.Parse(digest, text);
        }

        var registry = DockerHub;
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            var first = rest[..slash];
            if (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost")
            {
                registry = first;
                rest = rest[(slash + 1)..];
            }
        }

        string? tag = null;
        var colon = rest.LastIndexOf(':');
        if (colon >= 0 && colon > rest.LastIndexOf('/'))
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
            if (tag.Length is 0 or > 128 || !tag.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-') || tag[0] is '.' or '-')
            {
                throw new ImagePullException(text, $"tag '{tag}' is not a valid tag");
            }
        }

        if (registry == DockerHub && !rest.Contains('/', StringComparison.Ordinal))
        {
            rest = "library/" + rest;
        }

        if (rest.Length == 0 || rest.Split('/').Any(c => c.Length == 0 || !c.All(ch => char.IsAsciiLetterLower(ch) || char.IsAsciiDigit(ch) || ch is '.' or '_' or '-')))
        {
            throw new ImagePullException(text, $"repository '{rest}' is not a valid repository name (lower-case letters, digits, '.', '_', '-', separated by '/')");
        }

        return new ImageReference(registry, rest, digest is null ? tag ?? "latest" : tag, digest);
    }

    public override string ToString() =>
        $"{Registry}/{Repository}{(Tag is null ? "" : ":" + Tag)}{(Digest is null ? "" : "@" + Digest)}";
}
