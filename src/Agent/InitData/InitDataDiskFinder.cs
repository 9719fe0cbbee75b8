namespace Sealpod.Agent.InitData;

/// <summary>
/// Finds the Init-Data disk the way Kata's agent does: among the guest's whole virtio-blk (<c>vd*</c>) and SCSI
/// (<c>sd*</c>) disks, the one whose first bytes are Kata's magic. The host gives no address, and the guest probes
/// SCSI disks only when asked (<c>scsi_mod.scan=none</c>), so target 0, where runtimes put the disks a VM boots with,
/// is scanned first (Kata's runtime attaches the disk as virtio-blk, which needs no scan). A disk that cannot be read
/// is not it; two disks with the magic are an error, because either could be the one the TEE measured.
/// </summary>
/// <param name="devRoot">Where disk nodes are.</param>
/// <param name="scsi">Scans the SCSI hosts.</param>
/// <param name="scanTimeout">How long SCSI disks found by the scan may take to attach.</param>
/// <param name="log">Where skipped disks are noted.</param>
/// <param name="isBlockDevice">Replaces the block-device check in tests, where disks are plain files.</param>
internal sealed partial class InitDataDiskFinder(string devRoot, ScsiDeviceResolver scsi, TimeSpan scanTimeout, ILogger log, Func<string, bool>? isBlockDevice = null)
{
    // Disks present at boot take the first SCSI positions: target 0, LUN 0 upwards.
    private const int BootDiskTarget = 0;

    private readonly Func<string, bool> _isBlockDevice = isBlockDevice ?? (path => DeviceNode.TryRead(path, followSymlinks: false) is { Type: 'b' });

    /// <summary>The Init-Data disk, or null when there is none (the pod has no Init-Data).</summary>
    /// <exception cref="InitDataException">More than one disk carries the magic.</exception>
    public async Task<string?> FindAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        await scsi.ScanTargetAsync(BootDiskTarget, scanTimeout, time, cancellationToken).ConfigureAwait(false);
        var found = new List<string>();
        foreach (var disk in Candidates())
        {
            if (await StartsWithMagicAsync(disk, cancellationToken).ConfigureAwait(false))
            {
                found.Add(disk);
            }
        }

        return found.Count switch
        {
            0 => null,
            1 => found[0],
            _ => throw new InitDataException($"{found.Count} disks carry the Init-Data magic ({string.Join(", ", found)}): the host attaches exactly one, so which was measured is unknown"),
        };
    }

    /// <summary>Whole disks only: the image has no partition table, and a partition is part of a disk already looked at.</summary>
    private List<string> Candidates()
    {
        if (!Directory.Exists(devRoot))
        {
            return [];
        }

        return Directory.EnumerateFileSystemEntries(devRoot)
            .Where(path => WholeDiskName().IsMatch(Path.GetFileName(path)) && _isBlockDevice(path))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private async Task<bool> StartsWithMagicAsync(string disk, CancellationToken cancellationToken)
    {
        var start = new byte[InitDataImage.Magic.Length];
        try
        {
            var stream = new FileStream(disk, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
            await using (stream.ConfigureAwait(false))
            {
                var read = await stream.ReadAtLeastAsync(start, start.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                return read == start.Length && InitDataImage.HasMagic(start);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A disk going away or refusing reads (ENXIO, ENOMEDIUM, EACCES) cannot be the Init-Data disk the host attached at boot.
            log.LogWarning("Init-Data: skipping {Disk}, which cannot be read: {Reason}", disk, e.Message);
            return false;
        }
    }

    [GeneratedRegex("^(vd|sd)[a-z]+$")]
    private static partial Regex WholeDiskName();
}
