namespace Sealpod.Fuzz.Targets;

/// <summary>
/// An OCI image index or Docker manifest list and the linux/amd64 selection from it, through the real
/// <see cref="RegistryClient"/> over <see cref="FuzzRegistry"/>. Input: a byte choosing the Content-Type header
/// (none, OCI index, Docker manifest list), then the index, a NUL, the manifest served by digest, a NUL, the config;
/// <c>@MANIFEST@</c> and <c>@CONFIG@</c> become their real digests. Documented: ImagePullException.
/// </summary>
internal sealed class ImageIndexTarget() : RegistryResolveTarget("image-index", "OCI image index / Docker manifest list platform selection (src/Agent/Images)", [null, MediaTypes.OciIndex, MediaTypes.DockerManifestList], withIndex: true);
