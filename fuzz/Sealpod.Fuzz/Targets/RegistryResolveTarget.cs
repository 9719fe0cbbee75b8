namespace Sealpod.Fuzz.Targets;

/// <summary>
/// An image reference resolved as a pull does, through the real <see cref="RegistryClient"/> over
/// <see cref="FuzzRegistry"/>. Input: a byte picking the Content-Type header the registry answers with (one of
/// <c>contentTypes</c>, null for none), then, NUL-separated, the index when <c>withIndex</c> (served for the tag), the
/// manifest (served by digest, and for the tag without an index) and the config; <c>@MANIFEST@</c> and <c>@CONFIG@</c>
/// become their real digests. Documented: ImagePullException.
/// </summary>
internal abstract class RegistryResolveTarget(string name, string description, string?[] contentTypes, bool withIndex) : FuzzTarget(name, description)
{
    public sealed override void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }

        var parts = FuzzParts.Split(input[1..], withIndex ? 3 : 2);
        var config = parts[^1];
        var manifest = FuzzRegistry.Fill(parts[^2], [], config);
        var tag = withIndex ? FuzzRegistry.Fill(parts[0], manifest, config) : manifest;
        using var registry = new FuzzRegistry { Tag = tag, ByDigest = manifest, Blob = config, ContentType = contentTypes[input[0] % contentTypes.Length] };
        _ = registry.Resolve();
    }

    public sealed override bool IsDocumented(Exception exception) => exception is ImagePullException;
}
