using Wire = Sealpod.Protos.Kata.Agent;

namespace Sealpod.AgentClient.Kata.Translation;

/// <summary><see cref="OciLinuxResources"/> to Kata's protobuf <c>grpc.LinuxResources</c> (in a spec, or an update) and back.</summary>
internal static class ResourcesTranslation
{
    public static Wire.LinuxResources ToWire(OciLinuxResources resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var wire = new Wire.LinuxResources
        {
            Memory = resources.Memory is { } m
                ? new Wire.LinuxMemory
                {
                    Limit = m.Limit,
                    Reservation = m.Reservation,
                    Swap = m.Swap,
                    Kernel = m.Kernel,
                    KernelTCP = m.KernelTcp,
                    Swappiness = m.Swappiness,
                    DisableOOMKiller = m.DisableOomKiller,
                }
                : null,
            CPU = resources.Cpu is { } c
                ? new Wire.LinuxCPU
                {
                    Shares = c.Shares,
                    Quota = c.Quota,
                    Period = c.Period,
                    RealtimeRuntime = c.RealtimeRuntime,
                    RealtimePeriod = c.RealtimePeriod,
                    Cpus = c.Cpus,
                    Mems = c.Mems,
                }
                : null,
            Pids = resources.Pids is { } p ? new Wire.LinuxPids { Limit = p.Limit } : null,
            BlockIO = resources.BlockIo is { } b ? ToWire(b) : null,
        };
        wire.Devices.AddRange(resources.Devices.Select(d => new Wire.LinuxDeviceCgroup { Allow = d.Allow, Type = d.Type, Major = d.Major, Minor = d.Minor, Access = d.Access }));
        wire.HugepageLimits.AddRange(resources.HugepageLimits.Select(h => new Wire.LinuxHugepageLimit { Pagesize = h.PageSize, Limit = h.Limit }));
        if (resources.Network is { } network)
        {
            wire.Network = new Wire.LinuxNetwork { ClassID = network.ClassId };
            wire.Network.Priorities.AddRange(network.Priorities.Select(p => new Wire.LinuxInterfacePriority { Name = p.Name, Priority = p.Priority }));
        }

        return wire;
    }

    public static OciLinuxResources ToDomain(Wire.LinuxResources resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        return new OciLinuxResources
        {
            Devices = resources.Devices.Select(d => new OciDeviceCgroup { Allow = d.Allow, Type = d.Type, Major = d.Major, Minor = d.Minor, Access = d.Access }).ToList(),
            Memory = resources.Memory is { } m
                ? new OciMemory
                {
                    Limit = m.Limit,
                    Reservation = m.Reservation,
                    Swap = m.Swap,
                    Kernel = m.Kernel,
                    KernelTcp = m.KernelTCP,
                    Swappiness = m.Swappiness,
                    DisableOomKiller = m.DisableOOMKiller,
                }
                : null,
            Cpu = resources.CPU is { } c
                ? new OciCpu
                {
                    Shares = c.Shares,
                    Quota = c.Quota,
                    Period = c.Period,
                    RealtimeRuntime = c.RealtimeRuntime,
                    RealtimePeriod = c.RealtimePeriod,
                    Cpus = c.Cpus,
                    Mems = c.Mems,
                }
                : null,
            Pids = resources.Pids is { } p ? new OciPids { Limit = p.Limit } : null,
            BlockIo = resources.BlockIO is { } b ? ToDomain(b) : null,
            HugepageLimits = resources.HugepageLimits.Select(h => new OciHugepageLimit { PageSize = h.Pagesize, Limit = h.Limit }).ToList(),
            Network = resources.Network is { } n
                ? new OciNetwork { ClassId = n.ClassID, Priorities = n.Priorities.Select(p => new OciInterfacePriority { Name = p.Name, Priority = p.Priority }).ToList() }
                : null,
        };
    }

    private static Wire.LinuxBlockIO ToWire(OciBlockIo blockIo)
    {
        var wire = new Wire.LinuxBlockIO { Weight = blockIo.Weight, LeafWeight = blockIo.LeafWeight };
        wire.WeightDevice.AddRange(blockIo.WeightDevice.Select(d => new Wire.LinuxWeightDevice { Major = d.Major, Minor = d.Minor, Weight = d.Weight, LeafWeight = d.LeafWeight }));
        wire.ThrottleReadBpsDevice.AddRange(blockIo.ThrottleReadBpsDevice.Select(ToWire));
        wire.ThrottleWriteBpsDevice.AddRange(blockIo.ThrottleWriteBpsDevice.Select(ToWire));
        wire.ThrottleReadIOPSDevice.AddRange(blockIo.ThrottleReadIopsDevice.Select(ToWire));
        wire.ThrottleWriteIOPSDevice.AddRange(blockIo.ThrottleWriteIopsDevice.Select(ToWire));
        return wire;
    }

    private static OciBlockIo ToDomain(Wire.LinuxBlockIO blockIo) => new()
    {
        Weight = blockIo.Weight,
        LeafWeight = blockIo.LeafWeight,
        WeightDevice = blockIo.WeightDevice.Select(d => new OciWeightDevice { Major = d.Major, Minor = d.Minor, Weight = d.Weight, LeafWeight = d.LeafWeight }).ToList(),
        ThrottleReadBpsDevice = blockIo.ThrottleReadBpsDevice.Select(ToDomain).ToList(),
        ThrottleWriteBpsDevice = blockIo.ThrottleWriteBpsDevice.Select(ToDomain).ToList(),
        ThrottleReadIopsDevice = blockIo.ThrottleReadIOPSDevice.Select(ToDomain).ToList(),
        ThrottleWriteIopsDevice = blockIo.ThrottleWriteIOPSDevice.Select(ToDomain).ToList(),
    };

    private static Wire.LinuxThrottleDevice ToWire(OciThrottleDevice device) => new() { Major = device.Major, Minor = device.Minor, Rate = device.Rate };

    private static OciThrottleDevice ToDomain(Wire.LinuxThrottleDevice device) => new() { Major = device.Major, Minor = device.Minor, Rate = device.Rate };
}
