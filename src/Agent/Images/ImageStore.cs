namespace Sealpod.Agent.Images;

/// <summary>
/// The guest's pulled layers, under one directory on guest storage (a tmpfs by default): each layer is downloaded,
/// checked and unpacked once per guest however many containers use it, and removed when the last container
/// using it is released. A layer's directory is named after its digest and only appears (by rename) once it is
/// complete, so a failed pull leaves nothing a later pull could mistake for a layer.
/// </summary>
internal sealed class ImageStore
{
    private readonly string _root;
    private readonly RegistryClient? _registry;
    private readonly ILogger _log;
    private readonly Lock _lock = new();
    private readonly Dictionary<BlobDigest, LayerEntry> _layers = [];
    private int _downloads;

    /// <param name="registry">The client of <see cref="PullAsync(string, TimeSpan, CancellationToken)"/>; null when every pull brings its own.</param>
    public ImageStore(string root, RegistryClient? registry, ILogger log)
    {
        _root = root;
        _registry = registry;
        _log = log;
    }

    /// <summary>How many layer blobs this store downloaded: the measure of "pulled once".</summary>
    public int Downloads => Volatile.Read(ref _downloads);

    /// <summary>
    /// Pulls <paramref name="imageName"/> and returns its layer directories bottom to top; the caller owns one
    /// reference on each and hands the image back to <see cref="Release"/>.
    /// </summary>
    public Task<PulledImage> PullAsync(string imageName, TimeSpan timeout, CancellationToken cancellationToken) =>
        PullAsync(_registry ?? throw new InvalidOperationException("this image store has no default registry client"), imageName, timeout, cancellationToken);

    /// <summary>Pulls with <paramref name="registry"/>, a client with the registry settings current for this pull.</summary>
    public async Task<PulledImage> PullAsync(RegistryClient registry, string imageName, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var reference = ImageReference.Parse(imageName);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return await PullAsync(registry, reference, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ImagePullException(reference.ToString(), $"timed out after {timeout.TotalSeconds:0.###} s (agent.image_pull_timeout)", e);
        }
    }

    private async Task<PulledImage> PullAsync(RegistryClient registry, ImageReference reference, CancellationToken cancellationToken)
    {
        var resolved = await registry.ResolveAsync(reference, cancellationToken).ConfigureAwait(false);
        _log.LogInformation("image {Image}: manifest {Digest}, {Layers} layers", reference, resolved.ManifestDigest, resolved.Layers.Count);
        var acquired = new List<BlobDigest>();
        try
        {
            var directories = new List<string>();
            foreach (var layer in resolved.Layers)
            {
                var digest = BlobDigest.Parse(layer.Digest, reference.ToString());
                Task<string> task;
                lock (_lock)
                {
                    if (!_layers.TryGetValue(digest, out var entry))
                    {
                        entry = new LayerEntry(FetchLayerAsync(registry, reference, layer, digest, cancellationToken));
                        _layers[digest] = entry;
                    }

                    entry.References++;
                    acquired.Add(digest);
                    task = entry.Ready;
                }

                directories.Add(await task.ConfigureAwait(false));
            }

            return new PulledImage(reference, resolved.ManifestDigest, acquired, directories);
        }
        catch
        {
            Release(acquired);
            throw;
        }
    }

    public void Release(PulledImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        Release(image.LayerDigests);
    }

    private void Release(IEnumerable<BlobDigest> digests)
    {
        foreach (var digest in digests)
        {
            lock (_lock)
            {
                if (!_layers.TryGetValue(digest, out var entry) || --entry.References > 0)
                {
                    continue;
                }

                _layers.Remove(digest);
            }

            var directory = LayerDirectory(digest);
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private string LayerDirectory(BlobDigest digest) => Path.Combine(_root, "layers", digest.Hex);

    private async Task<string> FetchLayerAsync(RegistryClient registry, ImageReference image, ContentDescriptor layer, BlobDigest digest, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var compression = MediaTypes.LayerCompressionOf(layer.MediaType, image.ToString());
        var blobs = Path.Combine(_root, "blobs");
        var partial = Path.Combine(_root, "layers", digest.Hex + ".partial");
        var blob = Path.Combine(blobs, digest.Hex);
        Directory.CreateDirectory(blobs);
        Cleanup(blob, partial);
        try
        {
            Interlocked.Increment(ref _downloads);
            await registry.DownloadBlobAsync(image, layer, blob, cancellationToken).ConfigureAwait(false);
            Directory.CreateDirectory(partial);
            var input = new FileStream(blob, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.Asynchronous);
            await using (input.ConfigureAwait(false))
            {
                try
                {
                    await LayerUnpacker.UnpackAsync(input, compression, partial, digest.ToString(), cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is InvalidDataException or IOException or Linux.Native.SystemCallException or UnauthorizedAccessException)
                {
                    throw new ImagePullException(image.ToString(), $"layer {digest} could not be unpacked: {e.Message}", e);
                }
            }

            var ready = LayerDirectory(digest);
            Directory.Move(partial, ready);
            return ready;
        }
        catch
        {
            lock (_lock)
            {
                // A failed layer is forgotten so that the next pull tries again.
                _layers.Remove(digest);
            }

            Cleanup(partial);
            throw;
        }
        finally
        {
            Cleanup(blob);
        }
    }

    private static void Cleanup(params string[] paths)
    {
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
            else if (File.Exists(path))
            {
                File.Delete(path);
            }
        }
    }

    private sealed class LayerEntry(Task<string> ready)
    {
        public Task<string> Ready { get; } = ready;

        public int References { get; set; }
    }
}

/// <summary>An image pulled into the guest: the manifest digest it resolved to and its layers, bottom to top.</summary>
internal sealed record PulledImage(ImageReference Reference, BlobDigest ManifestDigest, IReadOnlyList<BlobDigest> LayerDigests, IReadOnlyList<string> LayerDirectories)
{
    /// <summary>overlayfs's lowerdir: the top layer first.</summary>
    public string LowerDirs => string.Join(':', LayerDirectories.Reverse());
}
