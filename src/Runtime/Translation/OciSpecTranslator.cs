using System.Text.Json;
using Sealpod.Protos.Kata.Agent;
using Sealpod.Runtime.Errors;
// The namespace Sealpod.Linux would hide the message's bare name inside Sealpod.*.
using OciLinux = Sealpod.Protos.Kata.Agent.Linux;

namespace Sealpod.Runtime.Translation;

/// <summary>
/// OCI runtime-spec JSON (config.json, an exec's Process, an update's LinuxResources) to the agent's
/// <c>grpc.Spec</c> protobuf, field by field as Kata's Go runtime copies them. Fields oci.proto lacks are
/// dropped, as in Kata. What the guest may use of the result is decided afterwards by <see cref="GuestSpecPolicy"/>.
/// </summary>
public static class OciSpecTranslator
{
    /// <summary>Translates a whole spec.</summary>
    /// <exception cref="InvalidArgumentException">The JSON is malformed or a field has the wrong type (the message names it).</exception>
    public static Spec ToSpec(ReadOnlyMemory<byte> configJson, string source = "config.json") =>
        Parse(configJson, source, root => Spec(new JsonFields(root, source)));

    /// <summary>Translates an OCI Process (ExecProcessRequest.spec).</summary>
    public static Process ToProcess(ReadOnlyMemory<byte> processJson, string source = "process") =>
        Parse(processJson, source, root => Process(new JsonFields(root, source)));

    /// <summary>Translates OCI LinuxResources (UpdateTaskRequest.resources).</summary>
    public static LinuxResources ToResources(ReadOnlyMemory<byte> resourcesJson, string source = "resources") =>
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

            return translate(document.RootElement);
        }
        catch (JsonException e)
        {
            throw new InvalidArgumentException($"{source} is not valid JSON: {e.Message}", e);
        }
    }

    private static Spec Spec(JsonFields f)
    {
        var spec = new Spec { Version = f.String("ociVersion"), Hostname = f.String("hostname") };
        if (f.Object("process") is { } process)
        {
            spec.Process = Process(process);
        }

        if (f.Object("root") is { } root)
        {
            spec.Root = new Root { Path = root.String("path"), Readonly = root.Bool("readonly") };
        }

        foreach (var m in f.Objects("mounts"))
        {
            var mount = new Mount { Destination = m.String("destination"), Source = m.String("source"), Type = m.String("type") };
            mount.Options.AddRange(m.Strings("options"));
            spec.Mounts.Add(mount);
        }

        if (f.Object("hooks") is { } hooks)
        {
            spec.Hooks = Hooks(hooks);
        }

        spec.Annotations.Add(f.StringMap("annotations").ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));
        if (f.Object("linux") is { } linux)
        {
            spec.Linux = Linux(linux);
        }

        return spec;
    }

    private static Process Process(JsonFields f)
    {
        var process = new Process
        {
            Terminal = f.Bool("terminal"),
            Cwd = f.String("cwd"),
            NoNewPrivileges = f.Bool("noNewPrivileges"),
            ApparmorProfile = f.String("apparmorProfile"),
            OOMScoreAdj = f.Int64("oomScoreAdj"),
            SelinuxLabel = f.String("selinuxLabel"),
        };
        if (f.Object("consoleSize") is { } size)
        {
            process.ConsoleSize = new Box { Height = size.UInt32("height"), Width = size.UInt32("width") };
        }

        if (f.Object("user") is { } user)
        {
            process.User = new User { UID = user.UInt32("uid"), GID = user.UInt32("gid"), Username = user.String("username") };
            process.User.AdditionalGids.AddRange(user.UInt32s("additionalGids"));
        }

        process.Args.AddRange(f.Strings("args"));
        process.Env.AddRange(f.Strings("env"));
        if (f.Object("capabilities") is { } caps)
        {
            var capabilities = new LinuxCapabilities();
            capabilities.Bounding.AddRange(caps.Strings("bounding"));
            capabilities.Effective.AddRange(caps.Strings("effective"));
            capabilities.Inheritable.AddRange(caps.Strings("inheritable"));
            capabilities.Permitted.AddRange(caps.Strings("permitted"));
            capabilities.Ambient.AddRange(caps.Strings("ambient"));
            process.Capabilities = capabilities;
        }

        foreach (var r in f.Objects("rlimits"))
        {
            process.Rlimits.Add(new POSIXRlimit { Type = r.String("type"), Hard = r.UInt64("hard"), Soft = r.UInt64("soft") });
        }

        return process;
    }

    private static Hooks Hooks(JsonFields f)
    {
        var hooks = new Hooks();
        hooks.Prestart.AddRange(f.Objects("prestart").Select(Hook));
        hooks.Poststart.AddRange(f.Objects("poststart").Select(Hook));
        hooks.Poststop.AddRange(f.Objects("poststop").Select(Hook));
        hooks.CreateRuntime.AddRange(f.Objects("createRuntime").Select(Hook));
        hooks.CreateContainer.AddRange(f.Objects("createContainer").Select(Hook));
        hooks.StartContainer.AddRange(f.Objects("startContainer").Select(Hook));
        return hooks;
    }

    private static Hook Hook(JsonFields f)
    {
        var hook = new Hook { Path = f.String("path"), Timeout = f.Int64("timeout") };
        hook.Args.AddRange(f.Strings("args"));
        hook.Env.AddRange(f.Strings("env"));
        return hook;
    }

    private static OciLinux Linux(JsonFields f)
    {
        var linux = new OciLinux
        {
            CgroupsPath = f.String("cgroupsPath"),
            RootfsPropagation = f.String("rootfsPropagation"),
            MountLabel = f.String("mountLabel"),
        };
        linux.UIDMappings.AddRange(f.Objects("uidMappings").Select(IdMapping));
        linux.GIDMappings.AddRange(f.Objects("gidMappings").Select(IdMapping));
        linux.Sysctl.Add(f.StringMap("sysctl").ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));
        if (f.Object("resources") is { } resources)
        {
            linux.Resources = Resources(resources);
        }

        foreach (var ns in f.Objects("namespaces"))
        {
            linux.Namespaces.Add(new LinuxNamespace { Type = ns.String("type"), Path = ns.String("path") });
        }

        foreach (var d in f.Objects("devices"))
        {
            linux.Devices.Add(new LinuxDevice
            {
                Path = d.String("path"),
                Type = d.String("type"),
                Major = d.Int64("major"),
                Minor = d.Int64("minor"),
                FileMode = d.UInt32("fileMode"),
                UID = d.UInt32("uid"),
                GID = d.UInt32("gid"),
            });
        }

        if (f.Object("seccomp") is { } seccomp)
        {
            linux.Seccomp = Seccomp(seccomp);
        }

        linux.MaskedPaths.AddRange(f.Strings("maskedPaths"));
        linux.ReadonlyPaths.AddRange(f.Strings("readonlyPaths"));
        if (f.Object("intelRdt") is { } rdt)
        {
            linux.IntelRdt = new LinuxIntelRdt { L3CacheSchema = rdt.String("l3CacheSchema") };
        }

        return linux;
    }

    private static LinuxIDMapping IdMapping(JsonFields f) =>
        new() { ContainerID = f.UInt32("containerID"), HostID = f.UInt32("hostID"), Size = f.UInt32("size") };

    private static LinuxResources Resources(JsonFields f)
    {
        var resources = new LinuxResources();
        foreach (var d in f.Objects("devices"))
        {
            resources.Devices.Add(new LinuxDeviceCgroup
            {
                Allow = d.Bool("allow"),
                Type = d.String("type"),
                Major = d.Has("major") ? d.Int64("major") : -1,
                Minor = d.Has("minor") ? d.Int64("minor") : -1,
                Access = d.String("access"),
            });
        }

        if (f.Object("memory") is { } memory)
        {
            resources.Memory = new LinuxMemory
            {
                Limit = memory.Int64("limit"),
                Reservation = memory.Int64("reservation"),
                Swap = memory.Int64("swap"),
                Kernel = memory.Int64("kernel"),
                KernelTCP = memory.Int64("kernelTCP"),
                Swappiness = memory.UInt64("swappiness"),
                DisableOOMKiller = memory.Bool("disableOOMKiller"),
            };
        }

        if (f.Object("cpu") is { } cpu)
        {
            resources.CPU = new LinuxCPU
            {
                Shares = cpu.UInt64("shares"),
                Quota = cpu.Int64("quota"),
                Period = cpu.UInt64("period"),
                RealtimeRuntime = cpu.Int64("realtimeRuntime"),
                RealtimePeriod = cpu.UInt64("realtimePeriod"),
                Cpus = cpu.String("cpus"),
                Mems = cpu.String("mems"),
            };
        }

        if (f.Object("pids") is { } pids)
        {
            resources.Pids = new LinuxPids { Limit = pids.Int64("limit") };
        }

        if (f.Object("blockIO") is { } blockIo)
        {
            resources.BlockIO = BlockIo(blockIo);
        }

        foreach (var h in f.Objects("hugepageLimits"))
        {
            resources.HugepageLimits.Add(new LinuxHugepageLimit { Pagesize = h.String("pageSize"), Limit = h.UInt64("limit") });
        }

        if (f.Object("network") is { } network)
        {
            var net = new LinuxNetwork { ClassID = network.UInt32("classID") };
            net.Priorities.AddRange(network.Objects("priorities").Select(p => new LinuxInterfacePriority { Name = p.String("name"), Priority = p.UInt32("priority") }));
            resources.Network = net;
        }

        return resources;
    }

    private static LinuxBlockIO BlockIo(JsonFields f)
    {
        var blockIo = new LinuxBlockIO { Weight = f.UInt32("weight"), LeafWeight = f.UInt32("leafWeight") };
        blockIo.WeightDevice.AddRange(f.Objects("weightDevice").Select(d => new LinuxWeightDevice
        {
            Major = d.Int64("major"),
            Minor = d.Int64("minor"),
            Weight = d.UInt32("weight"),
            LeafWeight = d.UInt32("leafWeight"),
        }));
        blockIo.ThrottleReadBpsDevice.AddRange(f.Objects("throttleReadBpsDevice").Select(Throttle));
        blockIo.ThrottleWriteBpsDevice.AddRange(f.Objects("throttleWriteBpsDevice").Select(Throttle));
        blockIo.ThrottleReadIOPSDevice.AddRange(f.Objects("throttleReadIOPSDevice").Select(Throttle));
        blockIo.ThrottleWriteIOPSDevice.AddRange(f.Objects("throttleWriteIOPSDevice").Select(Throttle));
        return blockIo;
    }

    private static LinuxThrottleDevice Throttle(JsonFields f) =>
        new() { Major = f.Int64("major"), Minor = f.Int64("minor"), Rate = f.UInt64("rate") };

    private static LinuxSeccomp Seccomp(JsonFields f)
    {
        var seccomp = new LinuxSeccomp { DefaultAction = f.String("defaultAction") };
        seccomp.Architectures.AddRange(f.Strings("architectures"));
        seccomp.Flags.AddRange(f.Strings("flags"));
        foreach (var s in f.Objects("syscalls"))
        {
            var syscall = new LinuxSyscall { Action = s.String("action") };
            syscall.Names.AddRange(s.Strings("names"));
            if (s.Has("errnoRet"))
            {
                syscall.Errnoret = s.UInt32("errnoRet");
            }

            syscall.Args.AddRange(s.Objects("args").Select(a => new LinuxSeccompArg
            {
                Index = a.UInt64("index"),
                Value = a.UInt64("value"),
                ValueTwo = a.UInt64("valueTwo"),
                Op = a.String("op"),
            }));
            seccomp.Syscalls.Add(syscall);
        }

        return seccomp;
    }
}
