using Sealpod.Agent.Images;

namespace Sealpod.Agent.Storage;

/// <summary>
/// Kata's <c>image_guest_pull</c> storage: <c>source</c> is the image reference (or <c>pause</c> for the sandbox
/// container, whose rootfs is the guest image's pause program), <c>driver_options</c> carry
/// <c>image_guest_pull={"metadata": {...annotations}}</c>. The image is pulled in the guest (<see cref="ImageStore"/>:
/// layers shared by the pod's containers) and its layers mounted read-only under an overlay whose upper directory
/// is the container's own, at the storage's mount point.
/// </summary>
internal sealed class GuestPullStorage
{
    /// <summary>The program of the guest image's pause bundle (guest/pause/pause.c, at the rootfs' top).</summary>
    public const string PauseProgram = "/pause";

    /// <summary>Whether <paramref name="spec"/> asks for the guest's pause bundle (a guest-pulled pod's sandbox container).</summary>
    public static bool IsPause(StorageSpec spec) => spec.Driver == GuestPullNames.Driver && spec.Source == GuestPullNames.PauseImage;

    private readonly AgentOptions _options;
    private readonly ILogger _log;
    private readonly RegistryHttp _http;
    private readonly ImageStore _store;

    /// <param name="http">The HTTP stack; tests hand one whose connections open in their network namespace.</param>
    public GuestPullStorage(AgentOptions options, ILogger log, RegistryHttp? http = null)
    {
        _options = options;
        _log = log;
        _http = http ?? new RegistryHttp(options.CaBundle);
        _store = new ImageStore(Path.Combine(options.StorageRoot, "images"), null, log);
    }

    /// <summary>The guest's layer store (tests read its download count).</summary>
    internal ImageStore Store => _store;

    /// <summary>Parses the driver option as Kata's agent does: a JSON object whose <c>metadata</c> holds the annotations.</summary>
    public static IReadOnlyDictionary<string, string> ParseMetadata(StorageSpec spec, string mountPoint)
    {
        const string prefix = GuestPullNames.DriverOptionPrefix;
        var option = spec.DriverOptions.FirstOrDefault(o => o.StartsWith(prefix, StringComparison.Ordinal))
            ?? throw new InvalidArgumentException($"storage for {mountPoint}: driver {GuestPullNames.Driver} needs the driver option {prefix}{{\"metadata\": {{...}}}}");
        try
        {
            return JsonSerializer.Deserialize(option[prefix.Length..], ImageJsonContext.Default.GuestPullDriverOption)?.Metadata
                ?? new Dictionary<string, string>();
        }
        catch (JsonException e)
        {
            throw new InvalidArgumentException($"storage for {mountPoint}: driver option {GuestPullNames.Driver} is not JSON {{\"metadata\": {{...}}}}: {e.Message}");
        }
    }

    public async Task<MountedStorage> MountAsync(StorageSpec spec, string mountPoint, CancellationToken cancellationToken)
    {
        _ = ParseMetadata(spec, mountPoint);
        if (string.IsNullOrEmpty(spec.Source))
        {
            throw new InvalidArgumentException($"storage for {mountPoint}: driver {GuestPullNames.Driver} needs source, the image reference (or '{GuestPullNames.PauseImage}')");
        }

        string lower;
        PulledImage? image = null;
        if (spec.Source == GuestPullNames.PauseImage)
        {
            lower = Directory.Exists(_options.PauseRootfs)
                ? _options.PauseRootfs
                : throw new FailedPreconditionException($"storage for {mountPoint}: the guest image has no pause rootfs at {_options.PauseRootfs}");
        }
        else
        {
            var settings = RegistrySettingsLoader.Load(_options.InitDataDirectory, _options.ImageRegistryAuth, spec.Source);
            var client = new RegistryClient(_http.For(settings.ExtraRootCertificates, spec.Source), settings, _log, _http.TrustSources);
            image = await _store.PullAsync(client, spec.Source, _options.ImagePullTimeout, cancellationToken).ConfigureAwait(false);
            lower = image.LowerDirs;
            _log.LogInformation("container rootfs {MountPoint}: image {Image} pulled in the guest, manifest {Digest}", mountPoint, spec.Source, image.ManifestDigest);
        }

        var name = Convert.ToHexStringLower(Sealpod.InitData.Hashing.Sha256.HashData(System.Text.Encoding.UTF8.GetBytes(mountPoint)))[..16];
        var scratch = Path.Combine(_options.StorageRoot, "overlay", name);
        var upper = Path.Combine(scratch, "upper");
        var work = Path.Combine(scratch, "work");
        try
        {
            Directory.CreateDirectory(upper);
            Directory.CreateDirectory(work);
            Directory.CreateDirectory(mountPoint);
            Mounter.Mount("overlay", mountPoint, "overlay", MountOptions.Parse([$"lowerdir={lower}", $"upperdir={upper}", $"workdir={work}"]));
        }
        catch
        {
            if (Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }

            if (image is not null)
            {
                _store.Release(image);
            }

            throw;
        }

        var release = image is null ? null : new Action(() => _store.Release(image));
        return new MountedStorage(spec, mountPoint, null, scratch) { OnRelease = release };
    }
}
