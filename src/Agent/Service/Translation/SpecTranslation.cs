using Wire = Sealpod.Protos.Kata.Agent;

namespace Sealpod.Agent.Service.Translation;

/// <summary>
/// The protobuf OCI spec (oci.proto) to the runtime-spec records. Protobuf cannot tell "unset" from
/// zero, so numeric limits of zero become "not specified", and a device rule major/minor of zero or
/// less is a wildcard (never the device 0:0, which would turn a deny-all rule into allow-all).
/// Hooks are not carried over: guest hooks are the agent's business, host ones mean nothing here.
/// </summary>
internal static class SpecTranslation
{
    public static OciSpec ToOci(Wire.Spec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new OciSpec
        {
            OciVersion = string.IsNullOrEmpty(spec.Version) ? "1.0.2" : spec.Version,
            Process = spec.Process is null ? null : ToOci(spec.Process),
            Root = spec.Root is null ? null : new OciRoot { Path = spec.Root.Path, Readonly = spec.Root.Readonly },
            Hostname = NullIfEmpty(spec.Hostname),
            Mounts = [.. spec.Mounts.Select(mount => new OciMount
            {
                Destination = mount.Destination,
                Type = NullIfEmpty(mount.Type),
                Source = NullIfEmpty(mount.Source),
                Options = mount.Options.Count == 0 ? null : [.. mount.Options],
            })],
            Annotations = spec.Annotations.Count == 0 ? null : new Dictionary<string, string>(spec.Annotations, StringComparer.Ordinal),
            Linux = spec.Linux is null ? null : ToOci(spec.Linux),
        };
    }

    public static OciProcess ToOci(Wire.Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        var user = process.User ?? new Wire.User();
        return new OciProcess
        {
            Terminal = process.Terminal,
            ConsoleSize = process.ConsoleSize is { Height: > 0, Width: > 0 } box ? new OciBox { Height = box.Height, Width = box.Width } : null,
            User = new OciUser
            {
                Uid = user.UID,
                Gid = user.GID,
                AdditionalGids = user.AdditionalGids.Count == 0 ? null : [.. user.AdditionalGids],
            },
            Args = [.. process.Args],
            Env = process.Env.Count == 0 ? null : [.. process.Env],
            Cwd = process.Cwd,
            Capabilities = process.Capabilities is null ? null : new OciCapabilities
            {
                Bounding = [.. process.Capabilities.Bounding],
                Effective = [.. process.Capabilities.Effective],
                Inheritable = [.. process.Capabilities.Inheritable],
                Permitted = [.. process.Capabilities.Permitted],
                Ambient = [.. process.Capabilities.Ambient],
            },
            Rlimits = process.Rlimits.Count == 0 ? null : [.. process.Rlimits.Select(limit => new OciRlimit { Type = limit.Type, Hard = limit.Hard, Soft = limit.Soft })],
            NoNewPrivileges = process.NoNewPrivileges,
            ApparmorProfile = NullIfEmpty(process.ApparmorProfile),
            OomScoreAdj = process.OOMScoreAdj == 0 ? null : (int)Math.Clamp(process.OOMScoreAdj, -1000, 1000),
            SelinuxLabel = NullIfEmpty(process.SelinuxLabel),
        };
    }

    public static OciLinux ToOci(Wire.Linux linux)
    {
        ArgumentNullException.ThrowIfNull(linux);
        return new OciLinux
        {
            UidMappings = linux.UIDMappings.Count == 0 ? null : [.. linux.UIDMappings.Select(ToOci)],
            GidMappings = linux.GIDMappings.Count == 0 ? null : [.. linux.GIDMappings.Select(ToOci)],
            Sysctl = linux.Sysctl.Count == 0 ? null : new Dictionary<string, string>(linux.Sysctl, StringComparer.Ordinal),
            Resources = linux.Resources is null ? null : ToOci(linux.Resources),
            CgroupsPath = NullIfEmpty(linux.CgroupsPath),
            Namespaces = [.. linux.Namespaces.Select(ns => new OciNamespace { Type = ns.Type, Path = NullIfEmpty(ns.Path) })],
            Devices = linux.Devices.Count == 0 ? null : [.. linux.Devices.Select(device => new OciDevice
            {
                Path = device.Path,
                Type = device.Type,
                Major = device.Major,
                Minor = device.Minor,
                FileMode = device.FileMode == 0 ? null : device.FileMode,
                Uid = device.UID,
                Gid = device.GID,
            })],
            Seccomp = linux.Seccomp is null ? null : ToOci(linux.Seccomp),
            RootfsPropagation = NullIfEmpty(linux.RootfsPropagation),
            MaskedPaths = linux.MaskedPaths.Count == 0 ? null : [.. linux.MaskedPaths],
            ReadonlyPaths = linux.ReadonlyPaths.Count == 0 ? null : [.. linux.ReadonlyPaths],
            MountLabel = NullIfEmpty(linux.MountLabel),
        };
    }

    public static OciResources ToOci(Wire.LinuxResources resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        return new OciResources
        {
            Devices = resources.Devices.Count == 0 ? null : [.. resources.Devices.Select(rule => new OciDeviceRule
            {
                Allow = rule.Allow,
                Type = string.IsNullOrEmpty(rule.Type) ? "a" : rule.Type,
                Major = rule.Major > 0 ? rule.Major : null,
                Minor = rule.Minor > 0 ? rule.Minor : null,
                Access = NullIfEmpty(rule.Access),
            })],
            Memory = resources.Memory is null ? null : new OciMemory
            {
                Limit = NullIfZero(resources.Memory.Limit),
                Reservation = NullIfZero(resources.Memory.Reservation),
                Swap = NullIfZero(resources.Memory.Swap),
                Kernel = NullIfZero(resources.Memory.Kernel),
                KernelTcp = NullIfZero(resources.Memory.KernelTCP),
                Swappiness = resources.Memory.Swappiness == 0 ? null : resources.Memory.Swappiness,
                DisableOomKiller = resources.Memory.DisableOOMKiller ? true : null,
            },
            Cpu = resources.CPU is null ? null : new OciCpu
            {
                Shares = resources.CPU.Shares == 0 ? null : resources.CPU.Shares,
                Quota = NullIfZero(resources.CPU.Quota),
                Period = resources.CPU.Period == 0 ? null : resources.CPU.Period,
                RealtimeRuntime = NullIfZero(resources.CPU.RealtimeRuntime),
                RealtimePeriod = resources.CPU.RealtimePeriod == 0 ? null : resources.CPU.RealtimePeriod,
                Cpus = NullIfEmpty(resources.CPU.Cpus),
                Mems = NullIfEmpty(resources.CPU.Mems),
            },
            Pids = resources.Pids is { Limit: not 0 } pids ? new OciPids { Limit = pids.Limit } : null,
            BlockIo = resources.BlockIO is null ? null : new OciBlockIo
            {
                Weight = resources.BlockIO.Weight == 0 ? null : (ushort)resources.BlockIO.Weight,
                LeafWeight = resources.BlockIO.LeafWeight == 0 ? null : (ushort)resources.BlockIO.LeafWeight,
                WeightDevice = resources.BlockIO.WeightDevice.Count == 0 ? null : [.. resources.BlockIO.WeightDevice.Select(device => new OciWeightDevice
                {
                    Major = device.Major,
                    Minor = device.Minor,
                    Weight = device.Weight == 0 ? null : (ushort)device.Weight,
                    LeafWeight = device.LeafWeight == 0 ? null : (ushort)device.LeafWeight,
                })],
                ThrottleReadBpsDevice = Throttles(resources.BlockIO.ThrottleReadBpsDevice),
                ThrottleWriteBpsDevice = Throttles(resources.BlockIO.ThrottleWriteBpsDevice),
                ThrottleReadIopsDevice = Throttles(resources.BlockIO.ThrottleReadIOPSDevice),
                ThrottleWriteIopsDevice = Throttles(resources.BlockIO.ThrottleWriteIOPSDevice),
            },
            HugepageLimits = resources.HugepageLimits.Count == 0 ? null : [.. resources.HugepageLimits.Select(limit => new OciHugepageLimit { PageSize = limit.Pagesize, Limit = limit.Limit })],
            Network = resources.Network is null ? null : new OciNetwork
            {
                ClassId = resources.Network.ClassID == 0 ? null : resources.Network.ClassID,
                Priorities = resources.Network.Priorities.Count == 0 ? null : [.. resources.Network.Priorities.Select(priority => new OciInterfacePriority { Name = priority.Name, Priority = priority.Priority })],
            },
        };
    }

    private static OciSeccomp ToOci(Wire.LinuxSeccomp seccomp) => new()
    {
        DefaultAction = seccomp.DefaultAction,
        Architectures = seccomp.Architectures.Count == 0 ? null : [.. seccomp.Architectures],
        Flags = seccomp.Flags.Count == 0 ? null : [.. seccomp.Flags],
        Syscalls = seccomp.Syscalls.Count == 0 ? null : [.. seccomp.Syscalls.Select(syscall => new OciSyscall
        {
            Names = [.. syscall.Names],
            Action = syscall.Action,
            ErrnoRet = syscall.HasErrnoret ? syscall.Errnoret : null,
            Args = syscall.Args.Count == 0 ? null : [.. syscall.Args.Select(argument => new OciSeccompArg
            {
                Index = (uint)argument.Index,
                Value = argument.Value,
                ValueTwo = argument.ValueTwo == 0 ? null : argument.ValueTwo,
                Op = argument.Op,
            })],
        })],
    };

    private static OciIdMapping ToOci(Wire.LinuxIDMapping mapping) =>
        new() { ContainerId = mapping.ContainerID, HostId = mapping.HostID, Size = mapping.Size };

    private static List<OciThrottleDevice>? Throttles(IReadOnlyCollection<Wire.LinuxThrottleDevice> devices) =>
        devices.Count == 0 ? null : [.. devices.Select(device => new OciThrottleDevice { Major = device.Major, Minor = device.Minor, Rate = device.Rate })];

    private static string? NullIfEmpty(string value) => string.IsNullOrEmpty(value) ? null : value;

    private static long? NullIfZero(long value) => value == 0 ? null : value;
}
