using System.Text.Json;
using Wire = Sealpod.Protos.Kata.Agent;

namespace Sealpod.Agent.Tests;

/// <summary>
/// grpc.Spec → runtime-spec JSON, through the translation and the guest's policy, against golden
/// config.json files (Fixtures/*.json; set SEALPOD_UPDATE_GOLDEN=1 to rewrite them after a deliberate change).
/// </summary>
public sealed class SpecConversionTests
{
    private static readonly Func<string, DeviceNode?> GuestDevices = path => path switch
    {
        "/dev/fuse" => new DeviceNode('c', 10, 229, 0x1B6),
        _ => null,
    };

    [Fact]
    public void Containerd_default_spec_becomes_the_golden_config()
    {
        var spec = SpecTranslation.ToOci(ContainerdDefaultSpec());
        var applied = SpecPolicy.Apply(spec, "/run/sealpod/storage/c1/rootfs", rootReadonly: false, "/sealpod/c1", GuestDevices);

        AssertGolden("containerd-default.config.json", JsonSerializer.Serialize(applied, OciJsonContext.Default.OciSpec));
    }

    [Fact]
    public void Kubernetes_style_spec_with_resources_and_seccomp_becomes_the_golden_config()
    {
        var wire = ContainerdDefaultSpec();
        wire.Process.User = new Wire.User { UID = 1000, GID = 1000, AdditionalGids = { 1000, 10 } };
        wire.Process.Rlimits.Clear();
        wire.Process.Rlimits.Add(new Wire.POSIXRlimit { Type = "RLIMIT_NPROC", Hard = 512, Soft = 256 });
        wire.Process.OOMScoreAdj = 500;
        wire.Process.ApparmorProfile = "cri-containerd.apparmor.d";
        wire.Linux.Resources = new Wire.LinuxResources
        {
            Devices = { new Wire.LinuxDeviceCgroup { Allow = false, Access = "rwm" }, new Wire.LinuxDeviceCgroup { Allow = true, Type = "c", Major = 10, Minor = 229, Access = "rwm" } },
            Memory = new Wire.LinuxMemory { Limit = 128L << 20 },
            CPU = new Wire.LinuxCPU { Shares = 512, Quota = 50000, Period = 100000 },
            Pids = new Wire.LinuxPids { Limit = 100 },
        };
        wire.Linux.Devices.Add(new Wire.LinuxDevice { Path = "/dev/fuse", Type = "c", Major = 10, Minor = 999, FileMode = 0x1B6 });
        wire.Linux.Devices.Add(new Wire.LinuxDevice { Path = "/dev/host-only", Type = "b", Major = 8, Minor = 0 });
        wire.Linux.Seccomp = new Wire.LinuxSeccomp
        {
            DefaultAction = "SCMP_ACT_ERRNO",
            Architectures = { "SCMP_ARCH_X86_64" },
            Syscalls = { new Wire.LinuxSyscall { Names = { "read", "write" }, Action = "SCMP_ACT_ALLOW" }, new Wire.LinuxSyscall { Names = { "ptrace" }, Action = "SCMP_ACT_ERRNO", Errnoret = 1 } },
        };
        wire.Linux.CgroupsPath = "/kubepods/burstable/pod123/c1";
        wire.Linux.Namespaces.Clear();
        wire.Linux.Namespaces.Add(new Wire.LinuxNamespace { Type = "network", Path = "/var/run/netns/cni-1234" });
        wire.Linux.Namespaces.Add(new Wire.LinuxNamespace { Type = "ipc", Path = "/proc/42/ns/ipc" });
        wire.Linux.Namespaces.Add(new Wire.LinuxNamespace { Type = "pid" });
        wire.Hooks = new Wire.Hooks { Prestart = { new Wire.Hook { Path = "/usr/bin/host-hook" } } };

        var spec = SpecTranslation.ToOci(wire);
        var applied = SpecPolicy.Apply(spec, "/run/sealpod/storage/c1/rootfs", rootReadonly: true, "/sealpod/kubepods/burstable/pod123/c1", GuestDevices);

        AssertGolden("kubernetes.config.json", JsonSerializer.Serialize(applied, OciJsonContext.Default.OciSpec));
    }

    [Fact]
    public void Standard_mounts_are_added_before_the_specs_own_in_template_order()
    {
        var spec = new OciSpec
        {
            OciVersion = "1.0.2",
            Process = new OciProcess { Args = ["sh"], Cwd = "", User = new OciUser() },
            Mounts = [new OciMount { Destination = "/data", Type = "tmpfs", Source = "tmpfs" }, new OciMount { Destination = "/dev/pts", Type = "devpts", Source = "devpts", Options = ["custom"] }],
        };

        var applied = SpecPolicy.Apply(spec, "/r", false, "/sealpod/x", _ => null);

        Assert.Equal(
            ["/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/sys/fs/cgroup", "/data"],
            applied.Mounts!.Select(mount => mount.Destination).ToArray());
        Assert.Equal(["custom"], applied.Mounts![2].Options);
        Assert.Equal("/", applied.Process!.Cwd);
        Assert.Equal(["mount", "pid", "uts", "ipc"], applied.Linux!.Namespaces.Select(ns => ns.Type).ToArray());
        Assert.All(applied.Linux.Namespaces, ns => Assert.Null(ns.Path));
        Assert.Equal(SpecPolicy.DefaultMaskedPaths, applied.Linux.MaskedPaths);
    }

    [Fact]
    public void A_bind_mount_of_a_host_path_is_refused_with_its_name()
    {
        var spec = new OciSpec
        {
            OciVersion = "1.0.2",
            Process = new OciProcess { Args = ["sh"], Cwd = "/", User = new OciUser() },
            Mounts = [new OciMount { Destination = "/etc/hostname", Type = "bind", Source = "/var/lib/containerd/no-such/hostname", Options = ["rbind", "ro"] }],
        };

        var error = Assert.Throws<InvalidArgumentException>(() => SpecPolicy.Apply(spec, "/r", false, "/sealpod/x", _ => null));

        Assert.Contains("/etc/hostname", error.Message, StringComparison.Ordinal);
        Assert.Contains("/var/lib/containerd/no-such/hostname", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("")]
    public void Unknown_namespace_types_are_refused(string type)
    {
        var spec = new OciSpec
        {
            OciVersion = "1.0.2",
            Process = new OciProcess { Args = ["sh"], Cwd = "/", User = new OciUser() },
            Linux = new OciLinux { Namespaces = [new OciNamespace { Type = type }] },
        };

        Assert.Throws<InvalidArgumentException>(() => SpecPolicy.Apply(spec, "/r", false, "/sealpod/x", _ => null));
    }

    [Fact]
    public void Resources_translate_zero_as_unset_and_never_as_device_zero()
    {
        var resources = SpecTranslation.ToOci(new Wire.LinuxResources
        {
            Devices = { new Wire.LinuxDeviceCgroup { Allow = false, Access = "rwm" } },
            Memory = new Wire.LinuxMemory { Limit = 1 << 20 },
            CPU = new Wire.LinuxCPU { Cpus = "0-1" },
        });

        var json = JsonSerializer.Serialize(resources, OciJsonContext.Default.OciResources);

        Assert.Equal(
            """{"devices":[{"allow":false,"type":"a","access":"rwm"}],"memory":{"limit":1048576},"cpu":{"cpus":"0-1"}}""",
            JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement));
    }

    internal static Wire.Spec ContainerdDefaultSpec()
    {
        // What `ctr run` sends for a busybox image (containerd 1.6 oci.WithDefaultSpec), by way of
        // Kata's field-by-field copy into grpc.Spec.
        var spec = new Wire.Spec
        {
            Version = "1.0.2-dev",
            Process = new Wire.Process
            {
                User = new Wire.User(),
                Args = { "sh", "-c", "echo hello" },
                Env = { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" },
                Cwd = "/",
                Capabilities = new Wire.LinuxCapabilities
                {
                    Bounding = { "CAP_CHOWN", "CAP_KILL" },
                    Effective = { "CAP_CHOWN", "CAP_KILL" },
                    Permitted = { "CAP_CHOWN", "CAP_KILL" },
                },
                Rlimits = { new Wire.POSIXRlimit { Type = "RLIMIT_NOFILE", Hard = 1024, Soft = 1024 } },
                NoNewPrivileges = true,
            },
            Root = new Wire.Root { Path = "rootfs" },
            Hostname = "c1",
            Mounts =
            {
                new Wire.Mount { Destination = "/proc", Type = "proc", Source = "proc", Options = { "nosuid", "noexec", "nodev" } },
                new Wire.Mount { Destination = "/dev", Type = "tmpfs", Source = "tmpfs", Options = { "nosuid", "strictatime", "mode=755", "size=65536k" } },
                new Wire.Mount { Destination = "/dev/pts", Type = "devpts", Source = "devpts", Options = { "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5" } },
                new Wire.Mount { Destination = "/dev/shm", Type = "tmpfs", Source = "shm", Options = { "nosuid", "noexec", "nodev", "mode=1777", "size=65536k" } },
                new Wire.Mount { Destination = "/dev/mqueue", Type = "mqueue", Source = "mqueue", Options = { "nosuid", "noexec", "nodev" } },
                new Wire.Mount { Destination = "/sys", Type = "sysfs", Source = "sysfs", Options = { "nosuid", "noexec", "nodev", "ro" } },
                new Wire.Mount { Destination = "/run", Type = "tmpfs", Source = "tmpfs", Options = { "nosuid", "strictatime", "mode=755", "size=65536k" } },
            },
            Annotations = { ["io.containerd.image.name"] = "docker.io/library/busybox:latest" },
            Linux = new Wire.Linux
            {
                Resources = new Wire.LinuxResources { Devices = { new Wire.LinuxDeviceCgroup { Allow = false, Access = "rwm" } } },
                CgroupsPath = "/default/c1",
                Namespaces =
                {
                    new Wire.LinuxNamespace { Type = "pid" },
                    new Wire.LinuxNamespace { Type = "ipc" },
                    new Wire.LinuxNamespace { Type = "uts" },
                    new Wire.LinuxNamespace { Type = "mount" },
                    new Wire.LinuxNamespace { Type = "network" },
                },
                MaskedPaths = { "/proc/acpi", "/proc/kcore", "/sys/firmware" },
                ReadonlyPaths = { "/proc/sys", "/proc/sysrq-trigger" },
            },
        };
        return spec;
    }

    private static void AssertGolden(string name, string actual)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", name);
        if (Environment.GetEnvironmentVariable("SEALPOD_UPDATE_GOLDEN") == "1")
        {
            var source = Path.Combine(FindProjectDirectory(), "Fixtures", name);
            File.WriteAllText(source, actual + "\n");
            return;
        }

        Assert.True(File.Exists(path), $"golden file {name} is missing (run with SEALPOD_UPDATE_GOLDEN=1 to create it)");
        Assert.Equal(File.ReadAllText(path).TrimEnd('\n'), actual);
    }

    private static string FindProjectDirectory()
    {
        var directory = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(directory, "Sealpod.Agent.Tests.csproj")))
        {
            directory = Path.GetDirectoryName(directory.TrimEnd('/')) ?? throw new InvalidOperationException("project directory not found");
        }

        return directory;
    }
}
