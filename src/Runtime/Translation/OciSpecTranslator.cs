namespace Sealpod.Runtime.Translation;

/// <summary>
/// OCI runtime-spec JSON (config.json, an exec's Process, an update's LinuxResources) to the agent's OCI model
/// (<see cref="OciSpec"/>), field by field as Kata's Go runtime copies them into its protobuf spec. Fields that
/// model (and Kata's oci.proto) lacks are dropped, as in Kata. What the guest may use of the result is decided
/// afterwards by <see cref="GuestSpecPolicy"/>; the agent client turns it into Kata's wire message.
/// </summary>
public static class OciSpecTranslator
{
    /// <summary>Translates a whole spec.</summary>
    /// <exception cref="InvalidArgumentException">The JSON is malformed or a field has the wrong type (the message names it).</exception>
    public static OciSpec ToSpec(ReadOnlyMemory<byte> configJson, string source = "config.json") =>
        Parse(configJson, source, root => Spec(new JsonFields(root, source)));

    /// <summary>Translates an OCI Process (ExecProcessRequest.spec).</summary>
    public static OciProcess ToProcess(ReadOnlyMemory<byte> processJson, string source = "process") =>
        Parse(processJson, source, root => Process(new JsonFields(root, source)));

    /// <summary>Translates OCI LinuxResources (UpdateTaskRequest.resources).</summary>
    public static OciLinuxResources ToResources(ReadOnlyMemory<byte> resourcesJson, string source = "resources") =>
        Parse(resourcesJson, source, root => Resources(new JsonFields(root, source)));

    private static T Parse<T>(ReadOnlyMemory<byte> json, string source, Func<JsonElement, T> translate)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidArgumentException($"{source}: expected a JSON object, found {document.RootElement.ValueKind}");
            }

            JsonText.EnsureDecodable(document.RootElement, source);
            return translate(document.RootElement);
        }
        catch (JsonException e)
        {
            throw new InvalidArgumentException($"{source} is not valid JSON: {e.Message}", e);
        }
    }

    private static OciSpec Spec(JsonFields f) => new()
    {
        Version = f.String("ociVersion"),
        Hostname = f.String("hostname"),
        Process = f.Object("process") is { } process ? Process(process) : null,
        Root = f.Object("root") is { } root ? new OciRoot { Path = root.String("path"), Readonly = root.Bool("readonly") } : null,
        Mounts = f.Objects("mounts").Select(m => new OciMount
        {
            Destination = m.String("destination"),
            Source = m.String("source"),
            Type = m.String("type"),
            Options = [.. m.Strings("options")],
        }).ToList(),
        Hooks = f.Object("hooks") is { } hooks ? Hooks(hooks) : null,
        Annotations = f.StringMap("annotations").ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
        Linux = f.Object("linux") is { } linux ? Linux(linux) : null,
    };

    // The order of the reads decides which of several bad fields an error names: keep it stable.
    private static OciProcess Process(JsonFields f) => new()
    {
        Terminal = f.Bool("terminal"),
        Cwd = f.String("cwd"),
        NoNewPrivileges = f.Bool("noNewPrivileges"),
        ApparmorProfile = f.String("apparmorProfile"),
        OomScoreAdj = f.Int64("oomScoreAdj"),
        SelinuxLabel = f.String("selinuxLabel"),
        ConsoleSize = f.Object("consoleSize") is { } size ? new OciBox { Height = size.UInt32("height"), Width = size.UInt32("width") } : null,
        User = f.Object("user") is { } user
            ? new OciUser { Uid = user.UInt32("uid"), Gid = user.UInt32("gid"), Username = user.String("username"), AdditionalGids = [.. user.UInt32s("additionalGids")] }
            : null,
        Args = [.. f.Strings("args")],
        Env = [.. f.Strings("env")],
        Capabilities = f.Object("capabilities") is { } caps
            ? new OciCapabilities
            {
                Bounding = [.. caps.Strings("bounding")],
                Effective = [.. caps.Strings("effective")],
                Inheritable = [.. caps.Strings("inheritable")],
                Permitted = [.. caps.Strings("permitted")],
                Ambient = [.. caps.Strings("ambient")],
            }
            : null,
        Rlimits = f.Objects("rlimits").Select(r => new OciRlimit { Type = r.String("type"), Hard = r.UInt64("hard"), Soft = r.UInt64("soft") }).ToList(),
    };

    private static OciHooks Hooks(JsonFields f) => new()
    {
        Prestart = f.Objects("prestart").Select(Hook).ToList(),
        Poststart = f.Objects("poststart").Select(Hook).ToList(),
        Poststop = f.Objects("poststop").Select(Hook).ToList(),
        CreateRuntime = f.Objects("createRuntime").Select(Hook).ToList(),
        CreateContainer = f.Objects("createContainer").Select(Hook).ToList(),
        StartContainer = f.Objects("startContainer").Select(Hook).ToList(),
    };

    private static OciHook Hook(JsonFields f) =>
        new() { Path = f.String("path"), Timeout = f.Int64("timeout"), Args = [.. f.Strings("args")], Env = [.. f.Strings("env")] };

    private static OciLinux Linux(JsonFields f) => new()
    {
        CgroupsPath = f.String("cgroupsPath"),
        RootfsPropagation = f.String("rootfsPropagation"),
        MountLabel = f.String("mountLabel"),
        UidMappings = f.Objects("uidMappings").Select(IdMapping).ToList(),
        GidMappings = f.Objects("gidMappings").Select(IdMapping).ToList(),
        Sysctl = f.StringMap("sysctl").ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
        Resources = f.Object("resources") is { } resources ? Resources(resources) : null,
        Namespaces = f.Objects("namespaces").Select(ns => new OciNamespace { Type = ns.String("type"), Path = ns.String("path") }).ToList(),
        Devices = f.Objects("devices").Select(d => new OciDevice
        {
            Path = d.String("path"),
            Type = d.String("type"),
            Major = d.Int64("major"),
            Minor = d.Int64("minor"),
            FileMode = d.UInt32("fileMode"),
            Uid = d.UInt32("uid"),
            Gid = d.UInt32("gid"),
        }).ToList(),
        Seccomp = f.Object("seccomp") is { } seccomp ? Seccomp(seccomp) : null,
        MaskedPaths = [.. f.Strings("maskedPaths")],
        ReadonlyPaths = [.. f.Strings("readonlyPaths")],
        IntelRdt = f.Object("intelRdt") is { } rdt ? new OciIntelRdt { L3CacheSchema = rdt.String("l3CacheSchema") } : null,
    };

    private static OciIdMapping IdMapping(JsonFields f) =>
        new() { ContainerId = f.UInt32("containerID"), HostId = f.UInt32("hostID"), Size = f.UInt32("size") };

    private static OciLinuxResources Resources(JsonFields f) => new()
    {
        Devices = f.Objects("devices").Select(d => new OciDeviceCgroup
        {
            Allow = d.Bool("allow"),
            Type = d.String("type"),
            Major = d.Has("major") ? d.Int64("major") : -1,
            Minor = d.Has("minor") ? d.Int64("minor") : -1,
            Access = d.String("access"),
        }).ToList(),
        Memory = f.Object("memory") is { } memory
            ? new OciMemory
            {
                Limit = memory.Int64("limit"),
                Reservation = memory.Int64("reservation"),
                Swap = memory.Int64("swap"),
                Kernel = memory.Int64("kernel"),
                KernelTcp = memory.Int64("kernelTCP"),
                Swappiness = memory.UInt64("swappiness"),
                DisableOomKiller = memory.Bool("disableOOMKiller"),
            }
            : null,
        Cpu = f.Object("cpu") is { } cpu
            ? new OciCpu
            {
                Shares = cpu.UInt64("shares"),
                Quota = cpu.Int64("quota"),
                Period = cpu.UInt64("period"),
                RealtimeRuntime = cpu.Int64("realtimeRuntime"),
                RealtimePeriod = cpu.UInt64("realtimePeriod"),
                Cpus = cpu.String("cpus"),
                Mems = cpu.String("mems"),
            }
            : null,
        Pids = f.Object("pids") is { } pids ? new OciPids { Limit = pids.Int64("limit") } : null,
        BlockIo = f.Object("blockIO") is { } blockIo ? BlockIo(blockIo) : null,
        HugepageLimits = f.Objects("hugepageLimits").Select(h => new OciHugepageLimit { PageSize = h.String("pageSize"), Limit = h.UInt64("limit") }).ToList(),
        Network = f.Object("network") is { } network
            ? new OciNetwork
            {
                ClassId = network.UInt32("classID"),
                Priorities = network.Objects("priorities").Select(p => new OciInterfacePriority { Name = p.String("name"), Priority = p.UInt32("priority") }).ToList(),
            }
            : null,
    };

    private static OciBlockIo BlockIo(JsonFields f) => new()
    {
        Weight = f.UInt32("weight"),
        LeafWeight = f.UInt32("leafWeight"),
        WeightDevice = f.Objects("weightDevice").Select(d => new OciWeightDevice
        {
            Major = d.Int64("major"),
            Minor = d.Int64("minor"),
            Weight = d.UInt32("weight"),
            LeafWeight = d.UInt32("leafWeight"),
        }).ToList(),
        ThrottleReadBpsDevice = f.Objects("throttleReadBpsDevice").Select(Throttle).ToList(),
        ThrottleWriteBpsDevice = f.Objects("throttleWriteBpsDevice").Select(Throttle).ToList(),
        ThrottleReadIopsDevice = f.Objects("throttleReadIOPSDevice").Select(Throttle).ToList(),
        ThrottleWriteIopsDevice = f.Objects("throttleWriteIOPSDevice").Select(Throttle).ToList(),
    };

    private static OciThrottleDevice Throttle(JsonFields f) =>
        new() { Major = f.Int64("major"), Minor = f.Int64("minor"), Rate = f.UInt64("rate") };

    private static OciSeccomp Seccomp(JsonFields f) => new()
    {
        DefaultAction = f.String("defaultAction"),
        Architectures = [.. f.Strings("architectures")],
        Flags = [.. f.Strings("flags")],
        Syscalls = f.Objects("syscalls").Select(s => new OciSyscall
        {
            Action = s.String("action"),
            Names = [.. s.Strings("names")],
            ErrnoRet = s.Has("errnoRet") ? s.UInt32("errnoRet") : null,
            Args = s.Objects("args").Select(a => new OciSeccompArg
            {
                Index = a.UInt64("index"),
                Value = a.UInt64("value"),
                ValueTwo = a.UInt64("valueTwo"),
                Op = a.String("op"),
            }).ToList(),
        }).ToList(),
    };
}
