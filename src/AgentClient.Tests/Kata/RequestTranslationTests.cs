using Wire = Sealpod.Protos.Kata.Agent;

namespace Sealpod.AgentClient.Tests.Kata;

/// <summary>
/// The sandbox, container, copy, exec and update requests: round trips, and the wire messages equal to the ones the
/// runtime used to build by hand before the agent client took them over (same fields, same values, same bytes).
/// </summary>
public sealed class RequestTranslationTests
{
    private static readonly Storage ImageDisk = new()
    {
        Driver = "blk",
        Source = "02/01",
        FsType = "erofs",
        Options = ["ro"],
        MountPoint = "/run/sealpod/storage/images/0123456789abcdef",
        Shared = true,
    };

    private static readonly Storage Overlay = new()
    {
        Driver = "overlayfs",
        Source = "overlay",
        FsType = "overlay",
        Options = ["lowerdir=/run/sealpod/storage/images/0123456789abcdef"],
        MountPoint = "/run/sealpod/storage/c1/rootfs",
    };

    private static readonly Storage EmptyDir = new() { Driver = "local", Source = "local", FsType = "local", MountPoint = "/run/kata-containers/sandbox/local/cache", Options = ["mode=0777"] };

    private static readonly Storage VirtioFs = new() { Driver = "virtio-fs", Source = "kataShared", FsType = "virtiofs", MountPoint = "/run/kata-containers/shared/containers" };

    [Fact]
    public void The_runtime_s_storages_reach_the_wire_as_it_built_them()
    {
        // RootfsStorages, GuestSpecPolicy.EmptyDirStorages and VirtioFsShare.GuestStorage, as they were written against the wire types.
        var image = new Wire.Storage { Driver = "blk", Source = "02/01", Fstype = "erofs", MountPoint = "/run/sealpod/storage/images/0123456789abcdef", Shared = true };
        image.Options.Add("ro");
        var overlay = new Wire.Storage { Driver = "overlayfs", Source = "overlay", Fstype = "overlay", MountPoint = "/run/sealpod/storage/c1/rootfs" };
        overlay.Options.Add("lowerdir=/run/sealpod/storage/images/0123456789abcdef");
        var local = new Wire.Storage { Driver = "local", Source = "local", Fstype = "local", MountPoint = "/run/kata-containers/sandbox/local/cache" };
        local.Options.Add("mode=0777");
        var share = new Wire.Storage { Driver = "virtio-fs", Source = "kataShared", Fstype = "virtiofs", MountPoint = "/run/kata-containers/shared/containers" };

        Assert.Equal([image, overlay, local, share], new[] { ImageDisk, Overlay, EmptyDir, VirtioFs }.Select(StorageTranslation.ToWire));
        Assert.Equal(image.ToByteArray(), StorageTranslation.ToWire(ImageDisk).ToByteArray());
    }

    [Fact]
    public void Storages_and_kernel_modules_round_trip()
    {
        var storage = ImageDisk with { DriverOptions = ["a=1", "b"] };
        var module = new KernelModule { Name = "e1000e", Parameters = ["InterruptThrottleRate=3000", "debug=1"] };

        var (wire, _) = RoundTrip.AssertLossless(storage, StorageTranslation.ToWire, StorageTranslation.ToDomain);
        Assert.Equal(["a=1", "b"], wire.DriverOptions);
        RoundTrip.AssertLossless(module, StorageTranslation.ToWire, StorageTranslation.ToDomain);
    }

    [Fact]
    public void Create_sandbox_is_what_the_launch_built_by_hand_and_round_trips()
    {
        var request = new CreateSandboxRequest
        {
            SandboxId = "sbx",
            Hostname = "pod",
            Dns = ["nameserver 10.96.0.10", "search default.svc.cluster.local", "options ndots:5"],
            Storages = [VirtioFs],
            KernelModules = [new KernelModule { Name = "e1000e", Parameters = ["InterruptThrottleRate=3000"] }, new KernelModule { Name = "i915" }],
        };
        var handBuilt = new Wire.CreateSandboxRequest { Hostname = "pod", SandboxId = "sbx" };
        handBuilt.Dns.AddRange(new[] { "nameserver 10.96.0.10", "search default.svc.cluster.local", "options ndots:5" });
        handBuilt.Storages.Add(new Wire.Storage { Driver = "virtio-fs", Source = "kataShared", Fstype = "virtiofs", MountPoint = "/run/kata-containers/shared/containers" });
        var e1000e = new Wire.KernelModule { Name = "e1000e" };
        e1000e.Parameters.Add("InterruptThrottleRate=3000");
        handBuilt.KernelModules.Add(e1000e);
        handBuilt.KernelModules.Add(new Wire.KernelModule { Name = "i915" });

        var wire = RequestTranslation.ToWire(request);

        Assert.Equal(handBuilt, wire);
        Assert.Equivalent(request, RequestTranslation.ToDomain(wire), strict: true);
    }

    [Fact]
    public void Create_container_carries_its_ids_storages_and_spec_and_round_trips()
    {
        var spec = Samples.Spec();
        var request = new CreateContainerRequest { ContainerId = "c1", ExecId = "c1", Storages = [ImageDisk, Overlay, EmptyDir], Spec = spec };
        var handBuilt = new Wire.CreateContainerRequest { ContainerId = "c1", ExecId = "c1", OCI = SpecTranslation.ToWire(spec) };
        handBuilt.Storages.AddRange(new[] { ImageDisk, Overlay, EmptyDir }.Select(StorageTranslation.ToWire));

        var wire = RequestTranslation.ToWire(request);

        Assert.Equal(handBuilt, wire);
        Assert.Equal(["blk", "overlayfs", "local"], wire.Storages.Select(s => s.Driver));
        Assert.Equal("/run/sealpod/storage/c1/rootfs", wire.OCI.Root.Path);
        Assert.Equivalent(request, RequestTranslation.ToDomain(wire), strict: true);
    }

    [Fact]
    public void Copy_file_chunks_and_links_are_what_the_copier_built_by_hand_and_round_trip()
    {
        var bytes = Encoding.UTF8.GetBytes("0123456789");
        var chunk = new CopyFileRequest { Path = "/run/sealpod/shared/c1/0-data/big", FileSize = 10, FileMode = 0x81A4, DirMode = 0x1E8, Uid = 1000, Gid = 1001, Offset = 4, Data = bytes.AsMemory(4, 6) };
        var link = new CopyFileRequest { Path = "/run/sealpod/shared/c1/0-data/link", FileSize = 7, FileMode = 0xA1FF, DirMode = 0x1E8, Data = Encoding.UTF8.GetBytes("sub/big") };
        var handBuiltChunk = new Wire.CopyFileRequest
        {
            Path = "/run/sealpod/shared/c1/0-data/big",
            FileMode = 0x81A4,
            DirMode = 0x1E8,
            Uid = 1000,
            Gid = 1001,
            FileSize = 10,
            Offset = 4,
            Data = ByteString.CopyFrom(bytes.AsSpan(4, 6)),
        };
        var handBuiltLink = new Wire.CopyFileRequest { Path = "/run/sealpod/shared/c1/0-data/link", FileMode = 0xA1FF, DirMode = 0x1E8, Data = ByteString.CopyFromUtf8("sub/big"), FileSize = 7 };

        Assert.Equal(handBuiltChunk, RequestTranslation.ToWire(chunk));
        Assert.Equal(handBuiltLink, RequestTranslation.ToWire(link));
        var back = RequestTranslation.ToDomain(RequestTranslation.ToWire(chunk));
        Assert.Equal(chunk with { Data = default }, back with { Data = default });
        Assert.Equal("456789", Encoding.UTF8.GetString(back.Data.Span));
    }

    [Fact]
    public void A_copy_does_not_depend_on_the_callers_buffer_after_translation()
    {
        var buffer = Encoding.UTF8.GetBytes("abc");
        var wire = RequestTranslation.ToWire(new CopyFileRequest { Path = "/p", FileSize = 3, Data = buffer });

        buffer[0] = (byte)'X';

        Assert.Equal("abc", wire.Data.ToStringUtf8());
    }

    [Fact]
    public void Exec_and_update_carry_their_ids_and_the_translated_process_or_resources()
    {
        var exec = RequestTranslation.ToWire("c1", "e1", Samples.Process());
        var update = RequestTranslation.ToWire("c1", Samples.Resources());

        Assert.Equal(new Wire.ExecProcessRequest { ContainerId = "c1", ExecId = "e1", Process = ProcessTranslation.ToWire(Samples.Process()) }, exec);
        Assert.Equal(new Wire.UpdateContainerRequest { ContainerId = "c1", Resources = ResourcesTranslation.ToWire(Samples.Resources()) }, update);
        Assert.Equivalent(Samples.Process(), ProcessTranslation.ToDomain(exec.Process), strict: true);
        Assert.Equivalent(Samples.Resources(), ResourcesTranslation.ToDomain(update.Resources), strict: true);
        Assert.Equal(new Wire.ExecProcessRequest { ContainerId = "c1", ExecId = "e1", Process = new Wire.Process { Cwd = "/" } }, RequestTranslation.ToWire("c1", "e1", new OciProcess { Cwd = "/" }));
    }

    [Fact]
    public void The_guest_clock_is_set_in_seconds_and_microseconds_since_the_epoch()
    {
        var now = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(6_789_017); // .6789017 s: the last tick is below a microsecond
        var inParis = now.ToOffset(TimeSpan.FromHours(1));

        var wire = RequestTranslation.ToWire(now);

        Assert.Equal((1704164645L, 678901L), (wire.Sec, wire.Usec));
        Assert.Equal(wire, RequestTranslation.ToWire(inParis));
    }

    [Theory]
    [InlineData(Wire.HealthCheckResponse.Types.ServingStatus.Serving, AgentHealth.Serving)]
    [InlineData(Wire.HealthCheckResponse.Types.ServingStatus.NotServing, AgentHealth.NotServing)]
    [InlineData(Wire.HealthCheckResponse.Types.ServingStatus.Unknown, AgentHealth.Unknown)]
    [InlineData((Wire.HealthCheckResponse.Types.ServingStatus)7, AgentHealth.Unknown)]
    public void Health_statuses_map_by_meaning(Wire.HealthCheckResponse.Types.ServingStatus wire, AgentHealth expected) =>
        Assert.Equal(expected, RequestTranslation.ToDomain(wire));

    [Fact]
    public void The_version_names_agent_and_rpc_stack()
    {
        var version = RequestTranslation.ToDomain(new Wire.VersionCheckResponse { AgentVersion = "sealpod-agent 0.1.0", GrpcVersion = "ttrpc" });

        Assert.Equal(new AgentVersion("sealpod-agent 0.1.0", "ttrpc"), version);
    }
}
