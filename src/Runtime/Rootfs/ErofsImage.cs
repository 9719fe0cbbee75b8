namespace Sealpod.Runtime.Rootfs;

/// <param name="Path">The image file.</param>
/// <param name="Digest">The tree digest it was built from (its cache key).</param>
/// <param name="Reused">True when an existing image was returned instead of building one.</param>
public sealed record ErofsImage(string Path, string Digest, bool Reused);
