namespace Sealpod.Vmm.Qemu;

/// <summary>
/// The VM's disk buses and who occupies which position: LUNs on the virtio-scsi controller, or
/// slots on the PCI bridges for virtio-blk. Boot-time and hotplugged disks draw from the same
/// pool, so a hotplugged disk never lands on an occupied address and the guest address handed to
/// the agent is the one QEMU really uses. Not thread-safe; the hypervisor serialises hotplug.
/// </summary>
internal sealed partial class QemuDeviceLayout
{
    /// <summary>The virtio-scsi controller's id.</summary>
    public const string ScsiControllerId = "scsi0";

    // SCSI targets x LUNs the layout hands out (Kata: index -> id index/256, lun index%256).
    private const int MaxScsiDisks = 256 * 256;

    private readonly Dictionary<string, BlockPlacement> _placements = new(StringComparer.Ordinal);
    private readonly HashSet<int> _usedScsiIndexes = [];
    private readonly HashSet<(int Bridge, int Slot)> _usedBridgeSlots = [];

    public QemuDeviceLayout(GuestBlockDriver driver, IReadOnlyList<PciBridge> bridges)
    {
        Driver = driver;
        Bridges = bridges;
        if (driver == GuestBlockDriver.VirtioBlk && bridges.Count == 0)
        {
            throw new ArgumentException("virtio-blk disks need at least one PCI bridge", nameof(bridges));
        }
    }

    /// <summary>The guest-visible disk driver.</summary>
    public GuestBlockDriver Driver { get; }

    /// <summary>The PCI bridges virtio-blk disks go on.</summary>
    public IReadOnlyList<PciBridge> Bridges { get; }

    /// <summary>The disks placed now.</summary>
    public IReadOnlyCollection<BlockPlacement> Placements => _placements.Values;

    /// <summary>Throws unless <paramref name="device"/> is acceptable: a safe id, an absolute path.</summary>
    public static void Validate(BlockDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        device.ValidateId(nameof(device));

        if (!Path.IsPathFullyQualified(device.Path))
        {
            throw new ArgumentException($"block device '{device.Id}': path '{device.Path}' is not absolute", nameof(device));
        }

        if (device.Serial is { } serial && !SerialPattern().IsMatch(serial))
        {
            throw new ArgumentException(
                $"block device '{device.Id}': serial '{serial}' is invalid: expected 1-20 letters, digits, '-', '_' or '.'", nameof(device));
        }
    }

    /// <summary>Finds a free position for <paramref name="device"/> and records it.</summary>
    public BlockPlacement Place(BlockDevice device)
    {
        Validate(device);
        if (_placements.ContainsKey(device.Id))
        {
            throw new HypervisorException($"block device '{device.Id}' is already attached");
        }

        var placement = Driver == GuestBlockDriver.VirtioScsi ? PlaceScsi(device) : PlaceBlk(device);
        _placements.Add(device.Id, placement);
        return placement;
    }

    /// <summary>Frees the position of a disk that is gone from the VM.</summary>
    public void Release(string deviceId)
    {
        if (!_placements.Remove(deviceId, out var placement))
        {
            return;
        }

        if (placement.GuestAddress is ScsiAddress scsi)
        {
            _usedScsiIndexes.Remove((scsi.ScsiId * 256) + scsi.Lun);
        }
        else if (placement.PciSlot is { } slot)
        {
            var bridge = Bridges.Select((b, i) => (b, i)).First(x => x.b.Id == placement.Bus).i;
            _usedBridgeSlots.Remove((bridge, slot));
        }
    }

    /// <summary>The placement of an attached disk, or null.</summary>
    public BlockPlacement? Find(string deviceId) => _placements.GetValueOrDefault(deviceId);

    private BlockPlacement PlaceScsi(BlockDevice device)
    {
        for (var index = 0; index < MaxScsiDisks; index++)
        {
            if (_usedScsiIndexes.Add(index))
            {
                return new BlockPlacement(device, GuestBlockDriver.VirtioScsi, ScsiControllerId + ".0", new ScsiAddress(index / 256, index % 256), null);
            }
        }

        throw new HypervisorException($"cannot attach block device '{device.Id}': all {MaxScsiDisks} SCSI positions are in use");
    }

    private BlockPlacement PlaceBlk(BlockDevice device)
    {
        for (var bridge = 0; bridge < Bridges.Count; bridge++)
        {
            for (var slot = PciBridge.FirstSlot; slot <= PciBridge.LastSlot; slot++)
            {
                if (_usedBridgeSlots.Add((bridge, slot)))
                {
                    var owner = Bridges[bridge];
                    var path = new PciPath(owner.Address.Slot ?? throw new InvalidOperationException("bridges are placed at fixed slots"), slot);
                    return new BlockPlacement(device, GuestBlockDriver.VirtioBlk, owner.Id, path, slot);
                }
            }
        }

        throw new HypervisorException($"cannot attach block device '{device.Id}': every slot on the {Bridges.Count} PCI bridge(s) is in use");
    }

    // virtio-blk serials are at most 20 bytes (VIRTIO_BLK_ID_BYTES).
    [GeneratedRegex("^[A-Za-z0-9_.-]{1,20}$")]
    private static partial Regex SerialPattern();
}
