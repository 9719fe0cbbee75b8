using Sealpod.Protos.Kata.Agent;
using Sealpod.Protos.Kata.Types;
using static Sealpod.Protos.Tests.Wire.HandWire;

namespace Sealpod.Protos.Tests.Wire;

/// <summary>
/// Kata's agent protos are not packaged for Debian, so there is no Go peer for them: these
/// golden bytes are written out by hand from the field numbers of kata-containers'
/// src/libs/protocols/protos, and checked in both directions.
/// </summary>
public sealed class KataGoldenBytesTests
{
    [Theory]
    [InlineData(0, "")]
    [InlineData(137, "088901")]
    [InlineData(-1, "08ffffffffffffffffff01")]
    public void WaitProcessResponse(int status, string hex)
    {
        var response = new WaitProcessResponse { Status = status };

        AssertBothWays(response, Convert.FromHexString(hex), Kata.Agent.WaitProcessResponse.Parser);
    }

    [Fact]
    public void ReadStreamResponse_carries_raw_bytes_and_empty_means_eof()
    {
        AssertBothWays(
            new ReadStreamResponse { Data = ByteString.CopyFromUtf8("hi\n") },
            Convert.FromHexString("0a0368690a"),
            Kata.Agent.ReadStreamResponse.Parser);

        Assert.Empty(new ReadStreamResponse().ToByteArray());
        Assert.True(Kata.Agent.ReadStreamResponse.Parser.ParseFrom([]).Data.IsEmpty);
    }

    [Fact]
    public void ReadStreamRequest()
    {
        AssertBothWays(
            new ReadStreamRequest { ContainerId = "c1", ExecId = "e1", Len = 32768 },
            Concat(Str(1, "c1"), Str(2, "e1"), Varint(3, 32768)),
            Kata.Agent.ReadStreamRequest.Parser);
    }

    [Fact]
    public void FSGroup_uses_field_numbers_two_and_three()
    {
        AssertBothWays(
            new FSGroup { GroupId = 1000, GroupChangePolicy = FSGroupChangePolicy.OnRootMismatch },
            Convert.FromHexString("10e8071801"),
            Kata.Agent.FSGroup.Parser);
    }

    [Fact]
    public void Storage_for_the_shared_filesystem()
    {
        AssertBothWays(SharedFsStorage(), SharedFsStorageBytes(), Kata.Agent.Storage.Parser);
    }

    [Fact]
    public void CreateContainerRequest_with_an_OCI_spec()
    {
        var request = new CreateContainerRequest
        {
            ContainerId = "c1",
            ExecId = "c1",
            StringUser = new StringUser { Uid = "1000", Gid = "1000" },
            Devices = { new Device { Id = "0000:00:05.0", Type = "blk", VmPath = "/dev/vdb", ContainerPath = "/dev/data" } },
            Storages = { SharedFsStorage() },
            OCI = Spec(),
            SandboxPidns = true,
            StdoutPort = 1025,
        };
        byte[] golden = Concat(
            Str(1, "c1"),
            Str(2, "c1"),
            Message(3, Str(1, "1000"), Str(2, "1000")),
            Message(4, Str(1, "0000:00:05.0"), Str(2, "blk"), Str(3, "/dev/vdb"), Str(4, "/dev/data")),
            Bytes(5, SharedFsStorageBytes()),
            Bytes(6, SpecBytes()),
            Varint(7, 1),
            Varint(10, 1025));

        AssertBothWays(request, golden, Kata.Agent.CreateContainerRequest.Parser);
    }

    [Fact]
    public void Network_types_use_current_field_numbers()
    {
        var iface = new Interface
        {
            Device = "eth0",
            Name = "eth0",
            IPAddresses = { new IPAddress { Family = IPFamily.V4, Address = "10.88.0.2", Mask = "16" } },
            Mtu = 1500,
            HwAddr = "02:42:ac:11:00:02",
            DevicePath = "02/01",
            Type = "veth",
            RawFlags = 4163,
        };
        AssertBothWays(
            iface,
            Concat(
                Str(1, "eth0"), Str(2, "eth0"),
                Message(3, Str(2, "10.88.0.2"), Str(3, "16")),
                Varint(4, 1500), Str(5, "02:42:ac:11:00:02"), Str(6, "02/01"), Str(7, "veth"), Varint(8, 4163)),
            Interface.Parser);

        var route = new Route
        {
            Dest = "10.88.0.0/16",
            Device = "eth0",
            Source = "10.88.0.2",
            Scope = 253,
            Family = IPFamily.V6,
            Flags = 1,
            Mtu = 1400,
        };
        AssertBothWays(
            route,
            Concat(Str(1, "10.88.0.0/16"), Str(3, "eth0"), Str(4, "10.88.0.2"), Varint(5, 253), Varint(6, 1), Varint(7, 1), Varint(8, 1400)),
            Route.Parser);
    }

    [Fact]
    public void Health_check_reports_serving()
    {
        AssertBothWays(
            new HealthCheckResponse { Status = HealthCheckResponse.Types.ServingStatus.Serving },
            Convert.FromHexString("0801"),
            HealthCheckResponse.Parser);
    }

    private static Storage SharedFsStorage() => new()
    {
        Driver = "virtio-fs",
        Source = "kataShared",
        Fstype = "virtiofs",
        Options = { "nodev" },
        MountPoint = "/run/kata-containers/shared/containers/",
        FsGroup = new FSGroup { GroupId = 1000, GroupChangePolicy = FSGroupChangePolicy.OnRootMismatch },
        Shared = true,
    };

    private static byte[] SharedFsStorageBytes() => Concat(
        Str(1, "virtio-fs"),
        Str(3, "kataShared"),
        Str(4, "virtiofs"),
        Str(5, "nodev"),
        Str(6, "/run/kata-containers/shared/containers/"),
        Message(7, Varint(2, 1000), Varint(3, 1)),
        Varint(8, 1));

    private static Spec Spec() => new()
    {
        Version = "1.1.0",
        Process = new Process
        {
            Terminal = true,
            User = new User { UID = 1000, GID = 1000, AdditionalGids = { 10, 20 }, Username = "app" },
            Args = { "sh", "-c" },
            Env = { "PATH=/bin" },
            Cwd = "/",
            Capabilities = new LinuxCapabilities { Bounding = { "CAP_CHOWN" }, Effective = { "CAP_CHOWN" } },
            Rlimits = { new POSIXRlimit { Type = "RLIMIT_NOFILE", Hard = 1024, Soft = 1024 } },
            NoNewPrivileges = true,
            OOMScoreAdj = -998,
        },
        Root = new Root { Path = "/run/kata-containers/shared/containers/c1/rootfs", Readonly = true },
        Hostname = "pod-host",
        Mounts = { new Kata.Agent.Mount { Destination = "/proc", Source = "proc", Type = "proc", Options = { "nosuid", "noexec" } } },
        Annotations = { ["io.kubernetes.cri.container-type"] = "container" },
        Linux = new Kata.Agent.Linux
        {
            Resources = new LinuxResources
            {
                Memory = new LinuxMemory { Limit = 268435456 },
                CPU = new LinuxCPU { Quota = 50000, Period = 100000, Cpus = "0-1" },
            },
            CgroupsPath = "/kubepods/pod1/c1",
            Namespaces =
            {
                new LinuxNamespace { Type = "pid" },
                new LinuxNamespace { Type = "network", Path = "/var/run/netns/cni-1" },
            },
            Seccomp = new LinuxSeccomp
            {
                DefaultAction = "SCMP_ACT_ERRNO",
                Architectures = { "SCMP_ARCH_X86_64" },
                Syscalls = { new LinuxSyscall { Names = { "read" }, Action = "SCMP_ACT_ALLOW", Errnoret = 0 } },
            },
            MaskedPaths = { "/proc/kcore" },
            ReadonlyPaths = { "/proc/sys" },
        },
    };

    private static byte[] SpecBytes() => Concat(
        Str(1, "1.1.0"),
        Message(
            2,
            Varint(1, 1),
            Message(3, Varint(1, 1000), Varint(2, 1000), Packed(3, 10, 20), Str(4, "app")),
            Str(4, "sh"),
            Str(4, "-c"),
            Str(5, "PATH=/bin"),
            Str(6, "/"),
            Message(7, Str(1, "CAP_CHOWN"), Str(2, "CAP_CHOWN")),
            Message(8, Str(1, "RLIMIT_NOFILE"), Varint(2, 1024), Varint(3, 1024)),
            Varint(9, 1),
            Varint(11, -998)),
        Message(3, Str(1, "/run/kata-containers/shared/containers/c1/rootfs"), Varint(2, 1)),
        Str(4, "pod-host"),
        Message(5, Str(1, "/proc"), Str(2, "proc"), Str(3, "proc"), Str(4, "nosuid"), Str(4, "noexec")),
        Message(7, Str(1, "io.kubernetes.cri.container-type"), Str(2, "container")),
        Message(
            8,
            Message(4, Message(2, Varint(1, 268435456)), Message(3, Varint(2, 50000), Varint(3, 100000), Str(6, "0-1"))),
            Str(5, "/kubepods/pod1/c1"),
            Message(6, Str(1, "pid")),
            Message(6, Str(1, "network"), Str(2, "/var/run/netns/cni-1")),
            // errnoret is a oneof member: present even when zero.
            Message(8, Str(1, "SCMP_ACT_ERRNO"), Str(2, "SCMP_ARCH_X86_64"), Message(4, Str(1, "read"), Str(2, "SCMP_ACT_ALLOW"), Varint(3, 0))),
            Str(10, "/proc/kcore"),
            Str(11, "/proc/sys")));

    private static void AssertBothWays<T>(T message, byte[] golden, MessageParser<T> parser)
        where T : IMessage<T>
    {
        Assert.Equal(Convert.ToHexString(golden), Convert.ToHexString(message.ToByteArray()));
        Assert.Equal(message, parser.ParseFrom(golden));
    }
}
