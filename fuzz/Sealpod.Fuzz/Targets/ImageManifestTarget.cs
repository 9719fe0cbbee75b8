namespace Sealpod.Fuzz.Targets;

/// <summary>
/// An image manifest and its config as a pull reads them: the real <see cref="RegistryClient"/> over
/// <see cref="FuzzRegistry"/>. Input: a byte choosing the Content-Type header (none, OCI manifest, Docker manifest),
/// then the manifest, a NUL, and the config. <c>@CONFIG@</c> in the manifest becomes the config's real digest.
/// Each layer's digest and media type are then checked as the image store does. Documented: ImagePullException.
/// </summary>
internal sealed class ImageManifestTarget() : RegistryResolveTarget("image-manifest", "image manifest and config JSON, digest and media type checks (src/Agent/Images)", [null, MediaTypes.OciManifest, MediaTypes.DockerManifest], withIndex: false);
