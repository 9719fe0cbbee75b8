namespace Sealpod.AgentClient.Tests.Kata;

/// <summary>Domain values with every field set to a value of its own, so a field dropped or swapped in translation shows.</summary>
internal static class Samples
{
    public static OciProcess Process() => new()
    {
        Terminal = true,
        ConsoleSize = new OciBox { Height = 40, Width = 120 },
        User = new OciUser { Uid = 1000, Gid = 1001, AdditionalGids = [10, 20], Username = "app" },
        Args = ["/bin/sh", "-c", "echo hi"],
        Env = ["PATH=/usr/bin:/bin", "TERM=xterm"],
        Cwd = "/work",
        Capabilities = new OciCapabilities
        {
            Bounding = ["CAP_CHOWN", "CAP_KILL"],
            Effective = ["CAP_KILL"],
            Inheritable = ["CAP_NET_RAW"],
            Permitted = ["CAP_KILL", "CAP_SETUID"],
            Ambient = ["CAP_SYS_TIME"],
        },
        Rlimits = [new OciRlimit { Type = "RLIMIT_NOFILE", Hard = 1024, Soft = 512 }, new OciRlimit { Type = "RLIMIT_CORE", Hard = 7, Soft = 6 }],
        NoNewPrivileges = true,
        ApparmorProfile = "profile",
        OomScoreAdj = -998,
        SelinuxLabel = "label",
    };

    public static OciLinuxResources Resources() => new()
    {
        Devices = [new OciDeviceCgroup { Allow = false, Major = -1, Minor = -1, Access = "rwm" }, new OciDeviceCgroup { Allow = true, Type = "c", Major = 1, Minor = 3, Access = "rw" }],
        Memory = new OciMemory { Limit = 268435456, Reservation = 1 << 20, Swap = -1, Kernel = 11, KernelTcp = 12, Swappiness = 60, DisableOomKiller = true },
        Cpu = new OciCpu { Shares = 512, Quota = 50000, Period = 100000, RealtimeRuntime = 13, RealtimePeriod = 14, Cpus = "0-1", Mems = "0" },
        Pids = new OciPids { Limit = 100 },
        BlockIo = new OciBlockIo
        {
            Weight = 500,
            LeafWeight = 400,
            WeightDevice = [new OciWeightDevice { Major = 8, Minor = 0, Weight = 300, LeafWeight = 200 }],
            ThrottleReadBpsDevice = [new OciThrottleDevice { Major = 8, Minor = 1, Rate = 1000 }],
            ThrottleWriteBpsDevice = [new OciThrottleDevice { Major = 8, Minor = 2, Rate = 2000 }],
            ThrottleReadIopsDevice = [new OciThrottleDevice { Major = 8, Minor = 3, Rate = 3000 }],
            ThrottleWriteIopsDevice = [new OciThrottleDevice { Major = 8, Minor = 4, Rate = 4000 }],
        },
        HugepageLimits = [new OciHugepageLimit { PageSize = "2MB", Limit = 4 << 20 }],
        Network = new OciNetwork { ClassId = 42, Priorities = [new OciInterfacePriority { Name = "eth0", Priority = 5 }] },
    };

    public static OciSpec Spec() => new()
    {
        Version = "1.0.2-dev",
        Process = Process(),
        Root = new OciRoot { Path = "/run/sealpod/storage/c1/rootfs", Readonly = true },
        Hostname = "pod",
        Mounts =
        [
            new OciMount { Destination = "/proc", Type = "proc", Source = "proc", Options = ["nosuid", "noexec", "nodev"] },
            new OciMount { Destination = "/data", Type = "bind", Source = "/run/sealpod/shared/c1/0-data", Options = ["rbind", "ro"] },
        ],
        Hooks = new OciHooks
        {
            Prestart = [new OciHook { Path = "/bin/pre", Args = ["pre", "x"], Env = ["A=1"], Timeout = 5 }],
            Poststart = [new OciHook { Path = "/bin/post" }],
            Poststop = [new OciHook { Path = "/bin/stop" }],
            CreateRuntime = [new OciHook { Path = "/bin/cr" }],
            CreateContainer = [new OciHook { Path = "/bin/cc" }],
            StartContainer = [new OciHook { Path = "/bin/sc", Timeout = 9 }],
        },
        Annotations = new Dictionary<string, string> { ["io.kubernetes.cri.container-type"] = "container", ["io.kubernetes.cri.sandbox-id"] = "pod1" },
        Linux = new OciLinux
        {
            UidMappings = [new OciIdMapping { ContainerId = 0, HostId = 100000, Size = 65536 }],
            GidMappings = [new OciIdMapping { ContainerId = 1, HostId = 200000, Size = 1000 }],
            Sysctl = new Dictionary<string, string> { ["net.ipv4.ip_forward"] = "1" },
            Resources = Resources(),
            CgroupsPath = "kubepods-besteffort.slice:cri-containerd:abc",
            Namespaces = [new OciNamespace { Type = "pid" }, new OciNamespace { Type = "ipc", Path = "/proc/42/ns/ipc" }],
            Devices = [new OciDevice { Path = "/dev/fuse", Type = "c", Major = 10, Minor = 229, FileMode = 438, Uid = 1, Gid = 2 }],
            Seccomp = new OciSeccomp
            {
                DefaultAction = "SCMP_ACT_ERRNO",
                Architectures = ["SCMP_ARCH_X86_64"],
                Flags = ["SECCOMP_FILTER_FLAG_LOG"],
                Syscalls =
                [
                    new OciSyscall { Names = ["read", "write"], Action = "SCMP_ACT_ALLOW" },
                    new OciSyscall { Names = ["ptrace"], Action = "SCMP_ACT_ERRNO", ErrnoRet = 1, Args = [new OciSeccompArg { Index = 0, Value = 16, ValueTwo = 17, Op = "SCMP_CMP_EQ" }] },
                    new OciSyscall { Names = ["kill"], Action = "SCMP_ACT_ERRNO", ErrnoRet = 0 },
                ],
            },
            RootfsPropagation = "rslave",
            MaskedPaths = ["/proc/kcore"],
            ReadonlyPaths = ["/proc/sys"],
            MountLabel = "mount-label",
            IntelRdt = new OciIntelRdt { L3CacheSchema = "L3:0=ff" },
        },
    };

    public static ContainerStats Stats() => new()
    {
        Cgroup = new CgroupStats
        {
            Cpu = new CpuStats
            {
                Usage = new CpuUsage { Total = 900, PerCpu = [400, 500], Kernel = 300, User = 600 },
                Throttling = new ThrottlingData { Periods = 3, ThrottledPeriods = 2, ThrottledTime = 1 },
            },
            Memory = new MemoryStats
            {
                Cache = 4096,
                Usage = new MemoryData { Usage = 1 << 20, MaxUsage = 2 << 20, Failcnt = 1, Limit = 256 << 20 },
                SwapUsage = new MemoryData { Usage = 5, MaxUsage = 6, Failcnt = 7, Limit = 8 },
                KernelUsage = new MemoryData { Usage = 9, MaxUsage = 10, Failcnt = 11, Limit = 12 },
                UseHierarchy = true,
                Stats = new Dictionary<string, ulong> { ["rss"] = 777, ["total_pgfault"] = 9 },
            },
            Pids = new PidsStats { Current = 2, Limit = 100 },
            Blkio = new BlkioStats
            {
                IoServiceBytesRecursive = [new BlkioStatsEntry { Major = 254, Minor = 0, Op = "Read", Value = 512 }],
                IoServicedRecursive = [new BlkioStatsEntry { Major = 254, Minor = 1, Op = "Write", Value = 2 }],
                IoQueuedRecursive = [new BlkioStatsEntry { Op = "q", Value = 3 }],
                IoServiceTimeRecursive = [new BlkioStatsEntry { Op = "st", Value = 4 }],
                IoWaitTimeRecursive = [new BlkioStatsEntry { Op = "wt", Value = 5 }],
                IoMergedRecursive = [new BlkioStatsEntry { Op = "m", Value = 6 }],
                IoTimeRecursive = [new BlkioStatsEntry { Op = "t", Value = 7 }],
                SectorsRecursive = [new BlkioStatsEntry { Op = "s", Value = 8 }],
            },
            Hugetlb = new Dictionary<string, HugetlbStats> { ["2MB"] = new HugetlbStats { Usage = 5, MaxUsage = 6, Failcnt = 7 } },
        },
        Network =
        [
            new NetworkStats { Name = "eth0", RxBytes = 1, RxPackets = 2, RxErrors = 3, RxDropped = 4, TxBytes = 5, TxPackets = 6, TxErrors = 7, TxDropped = 8 },
        ],
    };
}
