namespace Sealpod.Vmm.CloudHypervisor;

public sealed partial class ClhHypervisor
{
    /// <inheritdoc />
    public async Task<BlockDeviceAttachment> HotplugBlockDeviceAsync(BlockDevice device, CancellationToken cancellationToken = default)
    {
        ValidateDisk(device);
        var api = RequireRunning();
        if (Attachments.ContainsKey(device.Id))
        {
            throw new HypervisorException($"block device '{device.Id}' is already attached");
        }

        await _apiLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var info = await api.AddDiskAsync(new DiskConfig { Path = device.Path, Readonly = device.ReadOnly, Id = device.Id, Serial = device.Serial }, cancellationToken).ConfigureAwait(false);
            var attachment = new BlockDeviceAttachment(device, GuestBlockDriver.VirtioBlk, ParseBdf(info.Bdf, device.Id), Hotplugged: true);
            Attachments[device.Id] = attachment;
            return attachment;
        }
        finally
        {
            _apiLock.Release();
        }
    }

    /// <inheritdoc />
    public async Task UnplugBlockDeviceAsync(string deviceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        var api = RequireRunning();
        if (!Attachments.ContainsKey(deviceId))
        {
            throw new HypervisorException($"block device '{deviceId}' is not attached");
        }

        await _apiLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await api.RemoveDeviceAsync(deviceId, cancellationToken).ConfigureAwait(false);
            Attachments.TryRemove(deviceId, out _);
        }
        finally
        {
            _apiLock.Release();
        }
    }

    /// <inheritdoc />
    public Task PauseAsync(CancellationToken cancellationToken = default) => RequireRunning().PauseVmAsync(cancellationToken);

    /// <inheritdoc />
    public async Task ResumeAsync(CancellationToken cancellationToken = default)
    {
        var api = RequireRunning();

        // A VM started paused was created but never booted: resuming it is its first boot.
        var booted = Interlocked.Exchange(ref _booted, 1) != 0;
        await (booted ? api.ResumeVmAsync(cancellationToken) : api.BootVmAsync(cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Cloud Hypervisor puts devices on bus 0 of segment 0: "0000:00:05.0" is guest PCI path "05".</summary>
    internal static PciPath ParseBdf(string? bdf, string deviceId)
    {
        // The API's answer is data from another process: a missing address or a device number past a bus's 32 slots
        // is a refused answer, not an argument error deep in PciPath.
        if (bdf is null)
        {
            throw new HypervisorException($"Cloud Hypervisor did not say at which PCI address disk '{deviceId}' is (no bdf)");
        }

        var match = BdfPattern().Match(bdf);
        if (!match.Success || match.Groups["bus"].Value != "00")
        {
            throw new HypervisorException($"disk '{deviceId}' is at PCI address '{bdf}': expected segment:00:device.function on the root bus");
        }

        var device = int.Parse(match.Groups["device"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        if (device > 31)
        {
            throw new HypervisorException($"disk '{deviceId}' is at PCI address '{bdf}': device {device} is past the 32 slots of a PCI bus");
        }

        return new PciPath(device);
    }

    private static void ValidateDisk(BlockDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        device.ValidateId(nameof(device));

        if (!Path.IsPathFullyQualified(device.Path))
        {
            throw new ArgumentException($"block device '{device.Id}': path '{device.Path}' is not absolute", nameof(device));
        }
    }

    [GeneratedRegex("^[0-9a-fA-F]{4}:(?<bus>[0-9a-fA-F]{2}):(?<device>[0-9a-fA-F]{2})\\.[0-7]$")]
    private static partial Regex BdfPattern();
}
