using CliWrap;
using CliWrap.Buffered;

namespace Sealpod.Runtime.Rootfs;

/// <summary>
/// Read-only erofs images of container root filesystems, one per distinct tree, so a second container
/// of the same image reuses the first one's image instead of rebuilding it. Images are built into a
/// temporary file and renamed into place, so a crash never leaves a half-written image under its final name.
/// </summary>
/// <remarks>
/// The cache is shared by every sandbox on the node, so its key must name the content (<see cref="TreeDigest"/>,
/// or a committed snapshot's identity, <see cref="SnapshotKey"/>), its directory is the owner's alone (0700), and
/// it is bounded: after each build the least recently used images (by access time, set on every use) go until the
/// total is within <c>maxBytes</c>. A VM that has an evicted image attached keeps reading it (the file lives on
/// while open).
/// </remarks>
public sealed class ErofsImageCache(string cacheDirectory, ILogger logger, string mkfsErofs = "mkfs.erofs", long maxBytes = ErofsImageCache.DefaultMaxBytes)
{
    /// <summary>10 GiB: a few dozen distinct container images.</summary>
    public const long DefaultMaxBytes = 10L << 30;

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public string CacheDirectory { get; } = cacheDirectory;

    /// <summary>The size the images together may reach; the least recently used go beyond it.</summary>
    public long MaxBytes { get; } = maxBytes > 0 ? maxBytes : throw new ArgumentOutOfRangeException(nameof(maxBytes), maxBytes, "the rootfs image cache's size limit must be positive");

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
        EnsureDirectory();
        string path = Path.Combine(CacheDirectory, digest + ".erofs");
        if (TryMarkUsed(path))
        {
            logger.LogDebug("rootfs image {Path} reused for {Root} (digest in {Ms} ms)", path, rootDirectory, stopwatch.ElapsedMilliseconds);
            return new ErofsImage(path, digest, Reused: true);
        }

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

        TryMarkUsed(path);
        logger.LogInformation("rootfs image {Path} built from {Root} in {Ms} ms", path, rootDirectory, stopwatch.ElapsedMilliseconds);
        Evict(keep: path);
        return new ErofsImage(path, digest, Reused: false);
    }

    // 0700 also when the directory already existed with another mode; a link in its place is refused, not followed.
    private void EnsureDirectory()
    {
        var info = Directory.CreateDirectory(CacheDirectory, OwnerOnly);
        if (info.LinkTarget is not null)
        {
            throw new IOException($"the rootfs image cache {CacheDirectory} is a symbolic link; expected a directory");
        }

        if (info.UnixFileMode != OwnerOnly)
        {
            File.SetUnixFileMode(CacheDirectory, OwnerOnly);
        }
    }

    // The access time orders the images for eviction; false when the image is not there (never built, or evicted meanwhile).
    private static bool TryMarkUsed(string path)
    {
        try
        {
            File.SetLastAccessTimeUtc(path, DateTime.UtcNow);
            return true;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }

    private void Evict(string keep)
    {
        var images = new DirectoryInfo(CacheDirectory).EnumerateFiles("*.erofs")
            .Where(f => f.LinkTarget is null)
            .OrderBy(f => f.LastAccessTimeUtc)
            .ToList();
        long total = images.Sum(f => f.Length);
        foreach (var image in images)
        {
            if (total <= MaxBytes)
            {
                return;
            }

            if (image.FullName == keep)
            {
                continue;
            }

            try
            {
                long length = image.Length;
                image.Delete();
                total -= length;
                logger.LogInformation("rootfs image {Path} evicted (cache over {Limit} bytes)", image.FullName, MaxBytes);
            }
            catch (IOException e)
            {
                logger.LogWarning("rootfs image {Path} could not be evicted: {Reason}", image.FullName, e.Message);
            }
        }
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
