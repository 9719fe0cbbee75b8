namespace Sealpod.Agent.Storage;

/// <summary>
/// Finds the /dev node of a virtio-scsi disk. The guest boots with <c>scsi_mod.scan=none</c> (as Kata's
/// do), so nothing probes a LUN until asked: each host's <c>scan</c> file is told about the address, then
/// /sys/bus/scsi/devices/&lt;host&gt;:0:&lt;target&gt;:&lt;lun&gt;/block names the disk.
/// </summary>
/// <remarks>
/// A LUN the host freed is often handed to the next disk while the guest is still removing the old one,
/// so the address can name a disk that is going away: opening it fails with ENXIO. A disk counts only
/// once it opens; <paramref name="isUsable"/> replaces that check in tests, where nodes are plain files.
/// </remarks>
internal sealed class ScsiDeviceResolver(string sysfsRoot, string devRoot = "/dev", Func<string, bool>? isUsable = null)
{
    private readonly Func<string, bool> _isUsable = isUsable ?? OpensAsBlockDevice;

    public string? TryResolve(ScsiAddress address)
    {
        var devices = Path.Combine(sysfsRoot, "bus", "scsi", "devices");
        if (!Directory.Exists(devices))
        {
            return null;
        }

        foreach (var device in Directory.EnumerateDirectories(devices, $"*:0:{address.Target}:{address.Lun}"))
        {
            if (TryResolveDevice(device) is { } node)
            {
                return node;
            }
        }

        return null;
    }

    /// <summary>
    /// Asks every SCSI host for all LUNs of <paramref name="target"/> (one REPORT LUNS, where a scan of every target
    /// costs seconds under emulation), then waits until each disk found there has a usable node: for disks the guest
    /// must find at boot without being told their address, such as the Init-Data disk, which runtimes place with the
    /// other boot-time disks at target 0. No SCSI host means no SCSI disks: nothing to wait for.
    /// </summary>
    /// <returns>The disks' nodes; a disk still unusable at the timeout is left out.</returns>
    public async Task<IReadOnlyList<string>> ScanTargetAsync(int target, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(target);
        ArgumentNullException.ThrowIfNull(time);
        var hosts = Path.Combine(sysfsRoot, "class", "scsi_host");
        if (!Directory.Exists(hosts))
        {
            return [];
        }

        // The write returns once the host has probed the target; sd then attaches each disk asynchronously.
        foreach (var host in Directory.EnumerateDirectories(hosts))
        {
            WriteScan(host, $"0 {target} -");
        }

        var disks = ScsiDisks(target);
        var deadline = time.GetTimestamp() + (long)(timeout.TotalSeconds * time.TimestampFrequency);
        while (true)
        {
            var nodes = disks.Select(TryResolveDevice).OfType<string>().ToList();
            if (nodes.Count == disks.Count || time.GetTimestamp() >= deadline)
            {
                return nodes;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Asks every SCSI host to probe the address, then polls until the disk appears or the timeout passes.</summary>
    public async Task<string> WaitAsync(ScsiAddress address, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        var deadline = time.GetTimestamp() + (long)(timeout.TotalSeconds * time.TimestampFrequency);
        var nextScan = 0L;
        while (true)
        {
            var device = TryResolve(address);
            if (device is not null)
            {
                return device;
            }

            long now = time.GetTimestamp();
            if (now >= deadline)
            {
                throw new TimeoutException($"The SCSI disk {address} did not appear within {timeout.TotalSeconds:0.#} s.");
            }

            // Hot-plugged controllers may register late: scan again every half second.
            if (now >= nextScan)
            {
                Scan(address);
                nextScan = now + (time.TimestampFrequency / 2);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Removes the guest's SCSI device behind <paramref name="device"/> (its sysfs <c>delete</c>), so the
    /// address is free in the guest before the host unplugs the disk and may give the LUN to another.
    /// </summary>
    /// <returns>True when a device was found and removed.</returns>
    public bool TryDelete(string device)
    {
        var name = Path.GetFileName(device);
        var devices = Path.Combine(sysfsRoot, "bus", "scsi", "devices");
        if (string.IsNullOrEmpty(name) || !Directory.Exists(devices))
        {
            return false;
        }

        foreach (var scsiDevice in Directory.EnumerateDirectories(devices))
        {
            if (!Directory.Exists(Path.Combine(scsiDevice, "block", name)))
            {
                continue;
            }

            try
            {
                File.WriteAllText(Path.Combine(scsiDevice, "delete"), "1");
                return true;
            }
            catch (IOException)
            {
                // Already on its way out (the host unplugged first): nothing left to do.
                return false;
            }
        }

        return false;
    }

    /// <summary>The /dev node of one SCSI device's disk (its sysfs directory), once it can be used.</summary>
    private string? TryResolveDevice(string device)
    {
        var block = Path.Combine(device, "block");
        if (!Directory.Exists(block))
        {
            return null;
        }

        var name = Directory.EnumerateFileSystemEntries(block).Select(Path.GetFileName).FirstOrDefault();

        // sd attaches asynchronously: until it has read the capacity the node exists but opening
        // it fails with ENXIO, so the disk counts only once its size is known.
        return name is not null && File.Exists(Path.Combine(devRoot, name)) && HasCapacity(Path.Combine(block, name)) && _isUsable(Path.Combine(devRoot, name))
            ? Path.Combine(devRoot, name)
            : null;
    }

    /// <summary>The SCSI devices of <paramref name="target"/> of peripheral type 0 (direct-access block devices: disks), by sysfs directory.</summary>
    private List<string> ScsiDisks(int target)
    {
        var devices = Path.Combine(sysfsRoot, "bus", "scsi", "devices");
        if (!Directory.Exists(devices))
        {
            return [];
        }

        var disks = new List<string>();
        foreach (var device in Directory.EnumerateDirectories(devices, $"*:0:{target}:*"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(device, "type")).Trim() == "0")
                {
                    disks.Add(device);
                }
            }
            catch (IOException)
            {
                // Going away: not a disk to wait for.
            }
        }

        disks.Sort(StringComparer.Ordinal);
        return disks;
    }

    private static bool OpensAsBlockDevice(string path)
    {
        int fd = LibC.Open(path, LibC.O_RDONLY | LibC.O_CLOEXEC | LibC.O_NONBLOCK, 0);
        if (fd >= 0)
        {
            _ = LibC.Close(fd);
            return true;
        }

        // ENXIO/ENODEV: the node's disk is gone or not yet live. Anything else (EACCES, ...) is left
        // for mount to report with its own words.
        int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
        return errno is not (LibC.ENXIO or LibC.ENODEV);
    }

    private static bool HasCapacity(string sysfsDisk)
    {
        try
        {
            return long.TryParse(File.ReadAllText(Path.Combine(sysfsDisk, "size")).Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long sectors)
                && sectors > 0;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private void Scan(ScsiAddress address)
    {
        var hosts = Path.Combine(sysfsRoot, "class", "scsi_host");
        if (!Directory.Exists(hosts))
        {
            return;
        }

        foreach (var host in Directory.EnumerateDirectories(hosts))
        {
            WriteScan(host, $"0 {address.Target} {address.Lun}");
        }
    }

    // "channel target lun", each a number or "-" for all of them.
    private static void WriteScan(string host, string what)
    {
        try
        {
            File.WriteAllText(Path.Combine(host, "scan"), what);
        }
        catch (IOException)
        {
            // A host without that target answers ENXIO/ENODEV; the others may have it.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
