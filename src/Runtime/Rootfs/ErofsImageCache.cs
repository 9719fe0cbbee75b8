using System.Diagnostics;
using CliWrap;
using CliWrap.Buffered;
using Microsoft.Extensions.Logging;

namespace Sealpod.Runtime.Rootfs;

/// <summary>
/// Read-only erofs images of container root filesystems, one per distinct tree, so a second container
/// of the same image reuses the first one's image instead of rebuilding it. Images are built into a
/// temporary file and renamed into place, so a crash never leaves a half-written image under its final name.
/// </summary>
public sealed class ErofsImageCache(string cacheDirectory, ILogger logger, string mkfsErofs = "mkfs.erofs")
{
    public string CacheDirectory { get; } = cacheDirectory;

    /// <summary>Returns the image for <paramref name="rootDirectory"/>, building it when no image of that tree exists yet.</summary>
    public Task<ErofsImage> GetOrBuildAsync(string rootDirectory, CancellationToken cancellationToken = default) =>
        GetOrBuildAsync(rootDirectory, TreeDigest.Compute(rootDirectory, cancellationToken), cancellationToken);

    /// <summary>
    /// Returns the image cached under <paramref name="digest"/> (lower-case hex), building it from
    /// <paramref name="rootDirectory"/> when there is none. The caller vouches that the digest identifies the
    /// tree's content (see <see cref="SnapshotKey"/>).
    /// </summary>
    public async Task<ErofsImage> GetOrBuildAsync(string rootDirectory, string digest, CancellationToken cancellationToken = default)
    {
        if (digest.Length < 16 || !digest.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException($"image digest '{digest}' is not lower-case hex", nameof(digest));
        }

        var stopwatch = Stopwatch.StartNew();
        string path = Path.Combine(CacheDirectory, digest + ".erofs");
        if (File.Exists(path))
        {
            logger.LogDebug("rootfs image {Path} reused for {Root} (digest in {Ms} ms)", path, rootDirectory, stopwatch.ElapsedMilliseconds);
            return new ErofsImage(path, digest, Reused: true);
        }

        Directory.CreateDirectory(CacheDirectory);
        string temporary = Path.Combine(CacheDirectory, $".{digest}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            await RunMkfsAsync(temporary, rootDirectory, cancellationToken).ConfigureAwait(false);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }

        logger.LogInformation("rootfs image {Path} built from {Root} in {Ms} ms", path, rootDirectory, stopwatch.ElapsedMilliseconds);
        return new ErofsImage(path, digest, Reused: false);
    }

    private async Task RunMkfsAsync(string imagePath, string rootDirectory, CancellationToken cancellationToken)
    {
        // Keep every mtime as it is; a fixed UUID makes the image a function of the tree alone. Cancelling kills mkfs.
        var result = await Cli.Wrap(mkfsErofs)
            .WithArguments(["--preserve-mtime", "-U00000000-0000-0000-0000-000000000000", "--quiet", imagePath, rootDirectory])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(cancellationToken)
            .ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new IOException($"{mkfsErofs} {imagePath} {rootDirectory} failed with exit code {result.ExitCode}: {result.StandardError.Trim()} {result.StandardOutput.Trim()}");
        }
    }
}
