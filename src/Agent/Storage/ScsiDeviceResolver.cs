namespace Sealpod.Agent.Storage;

/// <summary>
/// Finds the /dev node of a virtio-scsi disk. The guest boots with <c>scsi_mod.scan=none</c> (as Kata's
/// do), so nothing probes a LUN until asked: each host's <c>scan</c> file is told about the address, then
/// /sys/bus/scsi/devices/&lt;host&gt;:0:&lt;target&gt;:&lt;lun&gt;/block names the disk.
/// </summary>
internal sealed class ScsiDeviceResolver(string sysfsRoot, string devRoot = "/dev")
{
    public string? TryResolve(ScsiAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var devices = Path.Combine(sysfsRoot, "bus", "scsi", "devices");
        if (!Directory.Exists(devices))
        {
            return null;
        }

        foreach (var device in Directory.EnumerateDirectories(devices, $"*:0:{address.Target}:{address.Lun}"))
        {
            var block = Path.Combine(device, "block");
            if (!Directory.Exists(block))
            {
                continue;
            }

            var name = Directory.EnumerateFileSystemEntries(block).Select(Path.GetFileName).FirstOrDefault();
            // sd attaches asynchronously: until it has read the capacity the node exists but opening
            // it fails with ENXIO, so the disk counts only once its size is known.
            if (name is not null && File.Exists(Path.Combine(devRoot, name)) && HasCapacity(Path.Combine(block, name)))
            {
                return Path.Combine(devRoot, name);
            }
        }

        return null;
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
            try
            {
                File.WriteAllText(Path.Combine(host, "scan"), $"0 {address.Target} {address.Lun}");
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
}
