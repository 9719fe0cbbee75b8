using Wire = Sealpod.Protos.Kata.Agent;

namespace Sealpod.AgentClient.Tests.Kata;

/// <summary>The OCI model to Kata's <c>grpc.Spec</c>: lossless both ways, and each field on the wire field it belongs to.</summary>
public sealed class SpecTranslationTests
{
    [Fact]
    public void A_full_spec_round_trips_domain_wire_domain()
    {
        var (wire, back) = RoundTrip.AssertLossless(Samples.Spec(), SpecTranslation.ToWire, SpecTranslation.ToDomain);

        Assert.Equal(wire, SpecTranslation.ToWire(back));
        Assert.Equal(wire.ToByteArray(), SpecTranslation.ToWire(back).ToByteArray());
    }

    [Fact]
    public void A_wire_spec_round_trips_wire_domain_wire_byte_for_byte()
    {
        var bytes = SpecTranslation.ToWire(Samples.Spec()).ToByteArray();
        var wire = Wire.Spec.Parser.ParseFrom(bytes);

        Assert.Equal(bytes, SpecTranslation.ToWire(SpecTranslation.ToDomain(wire)).ToByteArray());
    }

    [Fact]
    public void Every_field_lands_on_its_wire_field()
    {
        var wire = SpecTranslation.ToWire(Samples.Spec());

        Assert.Equal(("1.0.2-dev", "pod"), (wire.Version, wire.Hostname));
        Assert.Equal(("/run/sealpod/storage/c1/rootfs", true), (wire.Root.Path, wire.Root.Readonly));
        Assert.Equal(["container", "pod1"], wire.Annotations.Values);
        Assert.Equal(["io.kubernetes.cri.container-type", "io.kubernetes.cri.sandbox-id"], wire.Annotations.Keys);
        Assert.Equal(("/data", "bind", "/run/sealpod/shared/c1/0-data"), (wire.Mounts[1].Destination, wire.Mounts[1].Type, wire.Mounts[1].Source));
        Assert.Equal(["rbind", "ro"], wire.Mounts[1].Options);
        Assert.Equal(("/bin/pre", 5L), (wire.Hooks.Prestart[0].Path, wire.Hooks.Prestart[0].Timeout));
        Assert.Equal(["pre", "x"], wire.Hooks.Prestart[0].Args);
        Assert.Equal(["A=1"], wire.Hooks.Prestart[0].Env);
        Assert.Equal(
            ["/bin/post", "/bin/stop", "/bin/cr", "/bin/cc", "/bin/sc"],
            new[] { wire.Hooks.Poststart, wire.Hooks.Poststop, wire.Hooks.CreateRuntime, wire.Hooks.CreateContainer, wire.Hooks.StartContainer }.Select(h => h[0].Path));

        var process = wire.Process;
        Assert.True(process.Terminal);
        Assert.Equal((40u, 120u), (process.ConsoleSize.Height, process.ConsoleSize.Width));
        Assert.Equal((1000u, 1001u, "app"), (process.User.UID, process.User.GID, process.User.Username));
        Assert.Equal([10u, 20u], process.User.AdditionalGids);
        Assert.Equal(["/bin/sh", "-c", "echo hi"], process.Args);
        Assert.Equal(["PATH=/usr/bin:/bin", "TERM=xterm"], process.Env);
        Assert.Equal("/work", process.Cwd);
        Assert.Equal(["CAP_CHOWN", "CAP_KILL"], process.Capabilities.Bounding);
        Assert.Equal(["CAP_KILL"], process.Capabilities.Effective);
        Assert.Equal(["CAP_NET_RAW"], process.Capabilities.Inheritable);
        Assert.Equal(["CAP_KILL", "CAP_SETUID"], process.Capabilities.Permitted);
        Assert.Equal(["CAP_SYS_TIME"], process.Capabilities.Ambient);
        Assert.Equal(("RLIMIT_CORE", 7ul, 6ul), (process.Rlimits[1].Type, process.Rlimits[1].Hard, process.Rlimits[1].Soft));
        Assert.Equal((true, "profile", -998L, "label"), (process.NoNewPrivileges, process.ApparmorProfile, process.OOMScoreAdj, process.SelinuxLabel));

        var linux = wire.Linux;
        Assert.Equal((0u, 100000u, 65536u), (linux.UIDMappings[0].ContainerID, linux.UIDMappings[0].HostID, linux.UIDMappings[0].Size));
        Assert.Equal((1u, 200000u, 1000u), (linux.GIDMappings[0].ContainerID, linux.GIDMappings[0].HostID, linux.GIDMappings[0].Size));
        Assert.Equal("1", linux.Sysctl["net.ipv4.ip_forward"]);
        Assert.Equal("kubepods-besteffort.slice:cri-containerd:abc", linux.CgroupsPath);
        Assert.Equal([("pid", string.Empty), ("ipc", "/proc/42/ns/ipc")], linux.Namespaces.Select(n => (n.Type, n.Path)));
        var device = linux.Devices[0];
        Assert.Equal(("/dev/fuse", "c", 10L, 229L, 438u, 1u, 2u), (device.Path, device.Type, device.Major, device.Minor, device.FileMode, device.UID, device.GID));
        Assert.Equal(("rslave", "mount-label", "L3:0=ff"), (linux.RootfsPropagation, linux.MountLabel, linux.IntelRdt.L3CacheSchema));
        Assert.Equal(["/proc/kcore"], linux.MaskedPaths);
        Assert.Equal(["/proc/sys"], linux.ReadonlyPaths);

        var seccomp = linux.Seccomp;
        Assert.Equal(("SCMP_ACT_ERRNO", "SCMP_ARCH_X86_64", "SECCOMP_FILTER_FLAG_LOG"), (seccomp.DefaultAction, seccomp.Architectures.Single(), seccomp.Flags.Single()));
        Assert.Equal(["read", "write"], seccomp.Syscalls[0].Names);
        Assert.False(seccomp.Syscalls[0].HasErrnoret); // none named: the oneof stays unset
        Assert.Equal((true, 1u), (seccomp.Syscalls[1].HasErrnoret, seccomp.Syscalls[1].Errnoret));
        Assert.Equal((true, 0u), (seccomp.Syscalls[2].HasErrnoret, seccomp.Syscalls[2].Errnoret)); // errno 0 is a value, not "unset"
        var arg = seccomp.Syscalls[1].Args[0];
        Assert.Equal((0ul, 16ul, 17ul, "SCMP_CMP_EQ"), (arg.Index, arg.Value, arg.ValueTwo, arg.Op));
    }

    [Fact]
    public void Resources_land_on_their_wire_fields()
    {
        var wire = ResourcesTranslation.ToWire(Samples.Resources());

        Assert.Equal([(false, string.Empty, -1L, -1L, "rwm"), (true, "c", 1L, 3L, "rw")], wire.Devices.Select(d => (d.Allow, d.Type, d.Major, d.Minor, d.Access)));
        var memory = wire.Memory;
        Assert.Equal((268435456L, 1L << 20, -1L, 11L, 12L, 60ul, true), (memory.Limit, memory.Reservation, memory.Swap, memory.Kernel, memory.KernelTCP, memory.Swappiness, memory.DisableOOMKiller));
        var cpu = wire.CPU;
        Assert.Equal((512ul, 50000L, 100000ul, 13L, 14ul, "0-1", "0"), (cpu.Shares, cpu.Quota, cpu.Period, cpu.RealtimeRuntime, cpu.RealtimePeriod, cpu.Cpus, cpu.Mems));
        Assert.Equal(100, wire.Pids.Limit);
        var blockIo = wire.BlockIO;
        Assert.Equal((500u, 400u), (blockIo.Weight, blockIo.LeafWeight));
        Assert.Equal((8L, 0L, 300u, 200u), (blockIo.WeightDevice[0].Major, blockIo.WeightDevice[0].Minor, blockIo.WeightDevice[0].Weight, blockIo.WeightDevice[0].LeafWeight));
        Assert.Equal(
            [(1L, 1000ul), (2L, 2000ul), (3L, 3000ul), (4L, 4000ul)],
            new[] { blockIo.ThrottleReadBpsDevice, blockIo.ThrottleWriteBpsDevice, blockIo.ThrottleReadIOPSDevice, blockIo.ThrottleWriteIOPSDevice }.Select(t => (t[0].Minor, t[0].Rate)));
        Assert.Equal(("2MB", 4ul << 20), (wire.HugepageLimits[0].Pagesize, wire.HugepageLimits[0].Limit));
        Assert.Equal((42u, "eth0", 5u), (wire.Network.ClassID, wire.Network.Priorities[0].Name, wire.Network.Priorities[0].Priority));

        Assert.Equivalent(Samples.Resources(), ResourcesTranslation.ToDomain(wire), strict: true);
    }

    [Fact]
    public void Absent_parts_stay_absent_on_the_wire()
    {
        var wire = SpecTranslation.ToWire(new OciSpec());

        Assert.Null(wire.Process);
        Assert.Null(wire.Root);
        Assert.Null(wire.Hooks);
        Assert.Null(wire.Linux);
        Assert.Empty(wire.ToByteArray());

        var process = ProcessTranslation.ToWire(new OciProcess { Args = ["true"] });
        Assert.Null(process.User);
        Assert.Null(process.ConsoleSize);
        Assert.Null(process.Capabilities);

        var linux = SpecTranslation.ToWire(new OciSpec { Linux = new OciLinux() }).Linux;
        Assert.Null(linux.Resources);
        Assert.Null(linux.Seccomp);
        Assert.Null(linux.IntelRdt);

        var resources = ResourcesTranslation.ToWire(new OciLinuxResources());
        Assert.Equal((null, null, null, null, null), ((object?)resources.Memory, (object?)resources.CPU, (object?)resources.Pids, (object?)resources.BlockIO, (object?)resources.Network));
        RoundTrip.AssertLossless(new OciSpec { Linux = new OciLinux() }, SpecTranslation.ToWire, SpecTranslation.ToDomain);
    }

    [Fact]
    public void The_guest_shm_mount_the_policy_writes_is_the_one_kata_gets()
    {
        // What GuestSpecPolicy used to build as a wire Mount by hand for CRI's /dev/shm.
        var handBuilt = new Wire.Mount { Destination = "/dev/shm", Type = "tmpfs", Source = "shm", Options = { "nosuid", "noexec", "nodev", "mode=1777", "size=65536k" } };

        var translated = SpecTranslation.ToWire(new OciMount { Destination = "/dev/shm", Type = "tmpfs", Source = "shm", Options = ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"] });

        Assert.Equal(handBuilt, translated);
    }
}
