using Wire = Sealpod.Protos.Kata.Agent;

namespace Sealpod.AgentClient.Kata.Translation;

/// <summary>
/// <see cref="OciSpec"/> to Kata's protobuf <c>grpc.Spec</c> and back, field by field. Absent objects stay absent
/// (a null record is an unset message), so what the agent receives is what the runtime put in the record.
/// The process and the resources have their own translations (<see cref="ProcessTranslation"/>,
/// <see cref="ResourcesTranslation"/>).
/// </summary>
internal static class SpecTranslation
{
    public static Wire.Spec ToWire(OciSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var wire = new Wire.Spec
        {
            Version = spec.Version,
            Hostname = spec.Hostname,
            Process = spec.Process is { } process ? ProcessTranslation.ToWire(process) : null,
            Root = spec.Root is { } root ? new Wire.Root { Path = root.Path, Readonly = root.Readonly } : null,
            Hooks = spec.Hooks is { } hooks ? ToWire(hooks) : null,
            Linux = spec.Linux is { } linux ? ToWire(linux) : null,
        };
        wire.Mounts.AddRange(spec.Mounts.Select(ToWire));
        Copy(spec.Annotations, wire.Annotations);
        return wire;
    }

    public static OciSpec ToDomain(Wire.Spec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new OciSpec
        {
            Version = spec.Version,
            Hostname = spec.Hostname,
            Process = spec.Process is { } process ? ProcessTranslation.ToDomain(process) : null,
            Root = spec.Root is { } root ? new OciRoot { Path = root.Path, Readonly = root.Readonly } : null,
            Mounts = spec.Mounts.Select(ToDomain).ToList(),
            Hooks = spec.Hooks is { } hooks ? ToDomain(hooks) : null,
            Annotations = ToMap(spec.Annotations),
            Linux = spec.Linux is { } linux ? ToDomain(linux) : null,
        };
    }

    public static Wire.Mount ToWire(OciMount mount)
    {
        var wire = new Wire.Mount { Destination = mount.Destination, Source = mount.Source, Type = mount.Type };
        wire.Options.AddRange(mount.Options);
        return wire;
    }

    public static OciMount ToDomain(Wire.Mount mount) =>
        new() { Destination = mount.Destination, Source = mount.Source, Type = mount.Type, Options = [.. mount.Options] };

    internal static void Copy(IReadOnlyDictionary<string, string> from, Google.Protobuf.Collections.MapField<string, string> to)
    {
        foreach (var (key, value) in from)
        {
            to.Add(key, value);
        }
    }

    internal static Dictionary<string, string> ToMap(Google.Protobuf.Collections.MapField<string, string> map) =>
        map.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private static Wire.Hooks ToWire(OciHooks hooks)
    {
        var wire = new Wire.Hooks();
        wire.Prestart.AddRange(hooks.Prestart.Select(ToWire));
        wire.Poststart.AddRange(hooks.Poststart.Select(ToWire));
        wire.Poststop.AddRange(hooks.Poststop.Select(ToWire));
        wire.CreateRuntime.AddRange(hooks.CreateRuntime.Select(ToWire));
        wire.CreateContainer.AddRange(hooks.CreateContainer.Select(ToWire));
        wire.StartContainer.AddRange(hooks.StartContainer.Select(ToWire));
        return wire;
    }

    private static OciHooks ToDomain(Wire.Hooks hooks) => new()
    {
        Prestart = hooks.Prestart.Select(ToDomain).ToList(),
        Poststart = hooks.Poststart.Select(ToDomain).ToList(),
        Poststop = hooks.Poststop.Select(ToDomain).ToList(),
        CreateRuntime = hooks.CreateRuntime.Select(ToDomain).ToList(),
        CreateContainer = hooks.CreateContainer.Select(ToDomain).ToList(),
        StartContainer = hooks.StartContainer.Select(ToDomain).ToList(),
    };

    private static Wire.Hook ToWire(OciHook hook)
    {
        var wire = new Wire.Hook { Path = hook.Path, Timeout = hook.Timeout };
        wire.Args.AddRange(hook.Args);
        wire.Env.AddRange(hook.Env);
        return wire;
    }

    private static OciHook ToDomain(Wire.Hook hook) =>
        new() { Path = hook.Path, Args = [.. hook.Args], Env = [.. hook.Env], Timeout = hook.Timeout };

    private static Wire.Linux ToWire(OciLinux linux)
    {
        var wire = new Wire.Linux
        {
            CgroupsPath = linux.CgroupsPath,
            RootfsPropagation = linux.RootfsPropagation,
            MountLabel = linux.MountLabel,
            Resources = linux.Resources is { } resources ? ResourcesTranslation.ToWire(resources) : null,
            Seccomp = linux.Seccomp is { } seccomp ? ToWire(seccomp) : null,
            IntelRdt = linux.IntelRdt is { } rdt ? new Wire.LinuxIntelRdt { L3CacheSchema = rdt.L3CacheSchema } : null,
        };
        wire.UIDMappings.AddRange(linux.UidMappings.Select(ToWire));
        wire.GIDMappings.AddRange(linux.GidMappings.Select(ToWire));
        Copy(linux.Sysctl, wire.Sysctl);
        wire.Namespaces.AddRange(linux.Namespaces.Select(ns => new Wire.LinuxNamespace { Type = ns.Type, Path = ns.Path }));
        wire.Devices.AddRange(linux.Devices.Select(d => new Wire.LinuxDevice
        {
            Path = d.Path,
            Type = d.Type,
            Major = d.Major,
            Minor = d.Minor,
            FileMode = d.FileMode,
            UID = d.Uid,
            GID = d.Gid,
        }));
        wire.MaskedPaths.AddRange(linux.MaskedPaths);
        wire.ReadonlyPaths.AddRange(linux.ReadonlyPaths);
        return wire;
    }

    private static OciLinux ToDomain(Wire.Linux linux) => new()
    {
        UidMappings = linux.UIDMappings.Select(ToDomain).ToList(),
        GidMappings = linux.GIDMappings.Select(ToDomain).ToList(),
        Sysctl = ToMap(linux.Sysctl),
        Resources = linux.Resources is { } resources ? ResourcesTranslation.ToDomain(resources) : null,
        CgroupsPath = linux.CgroupsPath,
        Namespaces = linux.Namespaces.Select(ns => new OciNamespace { Type = ns.Type, Path = ns.Path }).ToList(),
        Devices = linux.Devices.Select(d => new OciDevice
        {
            Path = d.Path,
            Type = d.Type,
            Major = d.Major,
            Minor = d.Minor,
            FileMode = d.FileMode,
            Uid = d.UID,
            Gid = d.GID,
        }).ToList(),
        Seccomp = linux.Seccomp is { } seccomp ? ToDomain(seccomp) : null,
        RootfsPropagation = linux.RootfsPropagation,
        MaskedPaths = [.. linux.MaskedPaths],
        ReadonlyPaths = [.. linux.ReadonlyPaths],
        MountLabel = linux.MountLabel,
        IntelRdt = linux.IntelRdt is { } rdt ? new OciIntelRdt { L3CacheSchema = rdt.L3CacheSchema } : null,
    };

    private static Wire.LinuxIDMapping ToWire(OciIdMapping mapping) =>
        new() { ContainerID = mapping.ContainerId, HostID = mapping.HostId, Size = mapping.Size };

    private static OciIdMapping ToDomain(Wire.LinuxIDMapping mapping) =>
        new() { ContainerId = mapping.ContainerID, HostId = mapping.HostID, Size = mapping.Size };

    private static Wire.LinuxSeccomp ToWire(OciSeccomp seccomp)
    {
        var wire = new Wire.LinuxSeccomp { DefaultAction = seccomp.DefaultAction };
        wire.Architectures.AddRange(seccomp.Architectures);
        wire.Flags.AddRange(seccomp.Flags);
        foreach (var s in seccomp.Syscalls)
        {
            var syscall = new Wire.LinuxSyscall { Action = s.Action };
            syscall.Names.AddRange(s.Names);
            if (s.ErrnoRet is { } errno)
            {
                syscall.Errnoret = errno;
            }

            syscall.Args.AddRange(s.Args.Select(a => new Wire.LinuxSeccompArg { Index = a.Index, Value = a.Value, ValueTwo = a.ValueTwo, Op = a.Op }));
            wire.Syscalls.Add(syscall);
        }

        return wire;
    }

    private static OciSeccomp ToDomain(Wire.LinuxSeccomp seccomp) => new()
    {
        DefaultAction = seccomp.DefaultAction,
        Architectures = [.. seccomp.Architectures],
        Flags = [.. seccomp.Flags],
        Syscalls = seccomp.Syscalls.Select(s => new OciSyscall
        {
            Names = [.. s.Names],
            Action = s.Action,
            ErrnoRet = s.HasErrnoret ? s.Errnoret : null,
            Args = s.Args.Select(a => new OciSeccompArg { Index = a.Index, Value = a.Value, ValueTwo = a.ValueTwo, Op = a.Op }).ToList(),
        }).ToList(),
    };
}
