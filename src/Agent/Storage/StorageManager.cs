namespace Sealpod.Agent.Storage;

/// <summary>
/// Prepares the filesystems that CreateSandbox/CreateContainer name (Kata's storage handlers) and
/// undoes them. Storages are keyed by mount point and reference counted, so a shared storage
/// mounted for several containers stays until the last one is removed.
/// <list type="bullet">
/// <item><c>blk</c>: a virtio-blk disk, <c>source</c> a PCI path ("02/01", or "01" on the root bus)
/// or an absolute /dev path; waits for hot-plug, mounts <c>fstype</c> (erofs, ext4, ...).</item>
/// <item><c>scsi</c>: a virtio-scsi disk, <c>source</c> "target:lun"; the same, and the guest's SCSI
/// device is deleted when the storage goes.</item>
/// <item><c>overlayfs</c>: <c>options</c> carry lowerdir= (and optionally upperdir=/workdir=); without
/// an upper directory one is made on the /run tmpfs.</item>
/// <item><c>local</c>: a plain directory at the mount point, removed with the storage.</item>
/// <item><c>ephemeral</c>: a tmpfs at the mount point.</item>
/// <item><c>image_guest_pull</c>: the image named by <c>source</c> pulled in the guest (<see cref="GuestPullStorage"/>).</item>
/// <item><c>virtio-fs</c>: the host's shared directory (shared_fs = "virtio-fs"), <c>source</c> the virtio-fs tag
/// (Kata's "kataShared"), <c>fstype</c> "virtiofs"; mounted at the mount point, usually
/// /run/kata-containers/shared/containers, where the runtime's bind mounts appear.</item>
/// </list>
/// In a confidential guest mount points, and the directories an overlay names, must be below the agent's storage
/// roots (<see cref="ConfidentialConfinement"/>).
/// </summary>
internal sealed class StorageManager
{
    private static readonly string[] ForbiddenRoots = ["/proc", "/sys", "/dev"];

    private readonly AgentOptions _options;
    private readonly BlockDeviceResolver _resolver;
    private readonly ScsiDeviceResolver _scsiResolver;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly ConfidentialConfinement? _confinement;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, MountedStorage> _mounted = new(StringComparer.Ordinal);
    private readonly GuestPullStorage _guestPull;

    public StorageManager(AgentOptions options, BlockDeviceResolver resolver, TimeProvider time, ILogger log, GuestPullStorage? guestPull = null)
    {
        _options = options;
        _resolver = resolver;
        _scsiResolver = new ScsiDeviceResolver(options.SysfsRoot);
        _time = time;
        _log = log;
        _confinement = ConfidentialConfinement.For(options);
        _guestPull = guestPull ?? new GuestPullStorage(options, log);
    }

    public static IReadOnlyList<string> Drivers { get; } = ["blk", "scsi", "overlayfs", "local", "ephemeral", "virtio-fs", GuestPullNames.Driver];

    public async Task<MountedStorage> MountAsync(StorageSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var mountPoint = ValidateMountPoint(spec.MountPoint);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _confinement?.CheckStorage(spec, mountPoint);
            if (_mounted.TryGetValue(mountPoint, out var existing))
            {
                existing.References++;
                return existing;
            }

            var mounted = spec.Driver switch
            {
                "blk" or "scsi" => await MountBlockAsync(spec, mountPoint, cancellationToken).ConfigureAwait(false),
                "overlayfs" => MountOverlay(spec, mountPoint),
                "local" => CreateLocal(spec, mountPoint),
                "ephemeral" => MountEphemeral(spec, mountPoint),
                "virtio-fs" => VirtioFsStorage.Mount(spec, mountPoint),
                GuestPullNames.Driver => await _guestPull.MountAsync(spec, mountPoint, cancellationToken).ConfigureAwait(false),
                _ => throw new InvalidArgumentException(
                    $"storage for {mountPoint}: driver '{spec.Driver}' is not supported (supported: {string.Join(", ", Drivers)})"),
            };
            _mounted[mountPoint] = mounted;
            _log.LogDebug("storage {Driver} {Source} ready at {MountPoint}", spec.Driver, mounted.Device ?? (spec.Source.Length > 0 ? spec.Source : spec.Driver), mountPoint);
            return mounted;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Drops one reference; the last one unmounts and removes what the agent created.</summary>
    public void Release(MountedStorage storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _gate.Wait();
        try
        {
            if (--storage.References > 0)
            {
                return;
            }

            _mounted.Remove(storage.MountPoint);
            if (storage.Spec.Driver == "local")
            {
                Directory.Delete(storage.MountPoint, recursive: true);
                return;
            }

            Mounter.Unmount(storage.MountPoint);
            if (storage.Spec.Driver == "scsi" && storage.Device is not null && !storage.Spec.Source.StartsWith('/'))
            {
                // Free the address in the guest now: the host gives a freed LUN to the next disk.
                _scsiResolver.TryDelete(storage.Device);
            }

            if (storage.ScratchDirectory is not null && Directory.Exists(storage.ScratchDirectory))
            {
                Directory.Delete(storage.ScratchDirectory, recursive: true);
            }

            storage.OnRelease?.Invoke();

            TryRemoveEmptyDirectory(storage.MountPoint);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<MountedStorage> MountBlockAsync(StorageSpec spec, string mountPoint, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(spec.FileSystemType))
        {
            throw new InvalidArgumentException($"storage for {mountPoint}: a block storage needs fstype (erofs, ext4, ...)");
        }

        string device;
        if (spec.Source.StartsWith('/'))
        {
            device = await WaitForPathAsync(spec.Source, cancellationToken).ConfigureAwait(false);
        }
        else if (spec.Driver == "scsi")
        {
            return await MountScsiAsync(spec, DeviceAddresses.ParseScsi(spec.Source), mountPoint, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var pciPath = DeviceAddresses.ParsePci(spec.Source);
            device = await _resolver.WaitAsync(pciPath, _options.DeviceTimeout, _time, cancellationToken).ConfigureAwait(false);
        }

        Directory.CreateDirectory(mountPoint);
        Mounter.Mount(device, mountPoint, spec.FileSystemType, MountOptions.Parse(spec.Options));
        return new MountedStorage(spec, mountPoint, device, null);
    }

    /// <summary>
    /// Mounts the disk at a SCSI address. The disk found can still die between the look-up and the mount
    /// (the guest finishing the removal of the address's previous disk): ENXIO then means "look again",
    /// until the device timeout.
    /// </summary>
    private async Task<MountedStorage> MountScsiAsync(StorageSpec spec, ScsiAddress address, string mountPoint, CancellationToken cancellationToken)
    {
        var deadline = _time.GetTimestamp() + (long)(_options.DeviceTimeout.TotalSeconds * _time.TimestampFrequency);
        var device = await _scsiResolver.WaitAsync(address, _options.DeviceTimeout, _time, cancellationToken).ConfigureAwait(false);
        Directory.CreateDirectory(mountPoint);
        try
        {
            while (true)
            {
                try
                {
                    Mounter.Mount(device, mountPoint, spec.FileSystemType, MountOptions.Parse(spec.Options));
                    return new MountedStorage(spec, mountPoint, device, null);
                }
                catch (SystemCallException error) when (error.Errno is LibC.ENXIO && _time.GetTimestamp() < deadline)
                {
                    _log.LogDebug("SCSI disk {Address} at {Device} went away before the mount; looking again", address, device);
                    await Task.Delay(TimeSpan.FromMilliseconds(50), _time, cancellationToken).ConfigureAwait(false);
                }

                var remaining = TimeSpan.FromSeconds(Math.Max(0, deadline - _time.GetTimestamp()) / (double)_time.TimestampFrequency);
                device = await _scsiResolver.WaitAsync(address, remaining, _time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            TryRemoveEmptyDirectory(mountPoint);
            throw;
        }
    }

    private MountedStorage MountOverlay(StorageSpec spec, string mountPoint)
    {
        var options = MountOptions.Parse(spec.Options);
        if (options.Get("lowerdir") is not { Length: > 0 })
        {
            throw new InvalidArgumentException($"storage for {mountPoint}: an overlayfs storage needs a lowerdir= option");
        }

        string? scratch = null;
        if (options.Get("upperdir") is null || options.Get("workdir") is null)
        {
            // Named after the mount point so that the same storage always gets the same place.
            // Not a cryptographic hash: .NET's crypto needs libssl, which the guest does not carry.
            var name = Fnv1a64(mountPoint).ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
            scratch = Path.Combine(_options.StorageRoot, "overlay", name);
            var upper = Path.Combine(scratch, "upper");
            var work = Path.Combine(scratch, "work");
            Directory.CreateDirectory(upper);
            Directory.CreateDirectory(work);
            options = options with { Data = $"{options.DataWithout("upperdir", "workdir")},upperdir={upper},workdir={work}" };
        }

        Directory.CreateDirectory(mountPoint);
        try
        {
            Mounter.Mount(string.IsNullOrEmpty(spec.Source) ? "overlay" : spec.Source, mountPoint, "overlay", options);
        }
        catch
        {
            if (scratch is not null)
            {
                Directory.Delete(scratch, recursive: true);
            }

            throw;
        }

        return new MountedStorage(spec, mountPoint, null, scratch);
    }

    private static MountedStorage CreateLocal(StorageSpec spec, string mountPoint)
    {
        // Kata's local storage (a pod's emptyDir): "mode=0777" lets containers running as any user write to it.
        UnixFileMode? mode = null;
        if (MountOptions.Parse(spec.Options).Get("mode") is { } text)
        {
            if (text.Length is 0 or > 4 || !text.All(c => c is >= '0' and <= '7'))
            {
                throw new InvalidArgumentException($"storage for {mountPoint}: option mode={text} is not an octal file mode (e.g. mode=0777)");
            }

            mode = (UnixFileMode)Convert.ToInt32(text, 8);
        }

        Directory.CreateDirectory(mountPoint);
        if (mode is { } permissions)
        {
            // Set explicitly: CreateDirectory's mode is filtered by the umask.
            File.SetUnixFileMode(mountPoint, permissions);
        }

        return new MountedStorage(spec, mountPoint, null, null);
    }

    private static MountedStorage MountEphemeral(StorageSpec spec, string mountPoint)
    {
        Directory.CreateDirectory(mountPoint);
        Mounter.Mount("tmpfs", mountPoint, "tmpfs", MountOptions.Parse(spec.Options));
        return new MountedStorage(spec, mountPoint, null, null);
    }

    private async Task<string> WaitForPathAsync(string path, CancellationToken cancellationToken)
    {
        var deadline = _time.GetTimestamp() + (long)(_options.DeviceTimeout.TotalSeconds * _time.TimestampFrequency);
        while (!File.Exists(path))
        {
            if (_time.GetTimestamp() >= deadline)
            {
                throw new TimeoutException($"The device {path} did not appear within {_options.DeviceTimeout.TotalSeconds:0.#} s.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), _time, cancellationToken).ConfigureAwait(false);
        }

        return path;
    }

    private static string ValidateMountPoint(string mountPoint)
    {
        if (string.IsNullOrEmpty(mountPoint) || !mountPoint.StartsWith('/') || mountPoint.Split('/').Contains(".."))
        {
            throw new InvalidArgumentException($"storage mount_point '{mountPoint}' must be an absolute path without '..'");
        }

        var normal = Path.GetFullPath(mountPoint).TrimEnd('/');
        if (normal.Length == 0 || ForbiddenRoots.Any(root => normal == root || normal.StartsWith(root + "/", StringComparison.Ordinal)))
        {
            throw new InvalidArgumentException($"storage mount_point '{mountPoint}' is not allowed (/, /proc, /sys and /dev are the guest's own)");
        }

        return normal;
    }

    private static void TryRemoveEmptyDirectory(string path)
    {
        try
        {
            Directory.Delete(path);
        }
        catch (IOException)
        {
            // Not empty or still busy: leave it.
        }
    }

    private static ulong Fnv1a64(string text)
    {
        ulong hash = 14695981039346656037UL;
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }
}
