using Sealpod.Agent.Images;

namespace Sealpod.Fuzz.Targets;

/// <summary>
/// An OCI image index or Docker manifest list and the linux/amd64 selection from it, through the real
/// <see cref="RegistryClient"/> over <see cref="FuzzRegistry"/>. Input: a byte choosing the Content-Type header
/// (none, OCI index, Docker manifest list), then the index, a NUL, the manifest served by digest, a NUL, the config;
/// <c>@MANIFEST@</c> and <c>@CONFIG@</c> become their real digests. Documented: ImagePullException.
/// </summary>
internal sealed class ImageIndexTarget() : FuzzTarget("image-index", "OCI image index / Docker manifest list platform selection (src/Agent/Images)")
{
    private static readonly string?[] ContentTypes = [null, MediaTypes.OciIndex, MediaTypes.DockerManifestList];

    public override void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }

        var parts = FuzzParts.Split(input[1..], 3);
        var config = parts[2];
        var manifest = FuzzRegistry.Fill(parts[1], [], config);
        var index = FuzzRegistry.Fill(parts[0], manifest, config);
        using var registry = new FuzzRegistry { Tag = index, ByDigest = manifest, Blob = config, ContentType = ContentTypes[input[0] % ContentTypes.Length] };
        _ = registry.Resolve();
    }

    public override bool IsDocumented(Exception exception) => exception is ImagePullException;
}
