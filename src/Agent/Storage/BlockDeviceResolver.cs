namespace Sealpod.Agent.Storage;

/// <summary>
/// Finds the /dev node of a virtio-blk disk from its PCI path by walking sysfs: each bridge's
/// secondary bus (its pci_bus/ entry) leads to the next slot, and the device's
/// virtio*/block/&lt;name&gt; gives the disk name. Hot-plug completes asynchronously, so callers poll.
/// </summary>
internal sealed class BlockDeviceResolver
{
    private readonly string _sysfsRoot;
    private readonly string _devRoot;

    public BlockDeviceResolver(string sysfsRoot, string devRoot = "/dev")
    {
        _sysfsRoot = sysfsRoot;
        _devRoot = devRoot;
    }

    /// <summary>The disk's /dev path if the device and its block node exist yet, else null.</summary>
    public string? TryResolve(PciPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var devices = Path.Combine(_sysfsRoot, "bus", "pci", "devices");
        var bus = "0000:00";
        for (var i = 0; i < path.Slots.Count; i++)
        {
            var address = $"{bus}:{path.Slots[i].ToString("x2", CultureInfo.InvariantCulture)}.0";
            var device = Path.Combine(devices, address);
            if (!Directory.Exists(device))
            {
                return null;
            }

            if (i < path.Slots.Count - 1)
            {
                // A bridge: continue on its secondary bus (pci_bus/<domain>:<bus>).
                var secondary = Path.Combine(device, "pci_bus");
                if (!Directory.Exists(secondary))
                {
                    return null;
                }

                var next = Directory.EnumerateDirectories(secondary).Select(Path.GetFileName).FirstOrDefault();
                if (next is null)
                {
                    return null;
                }

                bus = next;
                continue;
            }

            foreach (var virtio in Directory.EnumerateDirectories(device, "virtio*"))
            {
                var block = Path.Combine(virtio, "block");
                if (!Directory.Exists(block))
                {
                    continue;
                }

                var name = Directory.EnumerateFileSystemEntries(block).Select(Path.GetFileName).FirstOrDefault();
                if (name is not null && File.Exists(Path.Combine(_devRoot, name)))
                {
                    return Path.Combine(_devRoot, name);
                }
            }
        }

        return null;
    }

    /// <summary>Polls until the disk appears or <paramref name="timeout"/> passes.</summary>
    public async Task<string> WaitAsync(PciPath path, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(time);
        var deadline = time.GetTimestamp() + (long)(timeout.TotalSeconds * time.TimestampFrequency);
        while (true)
        {
            var device = TryResolve(path);
            if (device is not null)
            {
                return device;
            }

            if (time.GetTimestamp() >= deadline)
            {
                throw new TimeoutException($"The disk at PCI path {path} did not appear within {timeout.TotalSeconds:0.#} s.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken).ConfigureAwait(false);
        }
    }
}
