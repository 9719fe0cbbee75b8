using Google.Protobuf.WellKnownTypes;
using Sealpod.Protos.Cgroups.V1;
using ProcessDetails = Sealpod.Protos.Containerd.Runc.V1.ProcessDetails;
using Sealpod.Protos.Containerd.Services.Events.Ttrpc.V1;
using Sealpod.Protos.Containerd.Task.V2;
using Sealpod.Protos.Containerd.Types.V1;
using Sealpod.Protos.RuntimeOptions.V1;
using CgroupsV2 = Sealpod.Protos.Cgroups.V2;

namespace Sealpod.Protos.Tests.Interop;

/// <summary>
/// Bytes written by containerd 1.6's own Go types, decoded with our generated types.
/// </summary>
[Collection(GoProtosCollection.Name)]
public sealed class DecodeContainerdBytesTests(GoProtosPeer go)
{
    private const string Bundle = "/run/containerd/io.containerd.runtime.v2.task/default/ctr-1";

    // time.Unix(1700000000, 123456789) and time.Unix(1700000001, 500) on the Go side.
    private static readonly Timestamp EnvelopeTime = new() { Seconds = 1700000000, Nanos = 123456789 };
    private static readonly Timestamp ExitTime = new() { Seconds = 1700000001, Nanos = 500 };

    [Fact]
    public void CreateTaskRequest_decodes_every_field_and_the_runtime_options()
    {
        CreateTaskRequest request = CreateTaskRequest.Parser.ParseFrom(go.Fixtures["create-task"]);

        Assert.Equal("ctr-1", request.Id);
        Assert.Equal(Bundle, request.Bundle);
        Assert.Equal(2, request.Rootfs.Count);
        Assert.Equal("overlay", request.Rootfs[0].Type);
        Assert.Equal("overlay", request.Rootfs[0].Source);
        Assert.Equal(string.Empty, request.Rootfs[0].Target);
        Assert.Equal(
            ["index=off", "workdir=/snap/2/work", "upperdir=/snap/2/fs", "lowerdir=/snap/1/fs"],
            request.Rootfs[0].Options);
        Assert.Equal("bind", request.Rootfs[1].Type);
        Assert.Equal("/var/lib/data", request.Rootfs[1].Source);
        Assert.Equal("/data", request.Rootfs[1].Target);
        Assert.Equal(["rbind", "ro"], request.Rootfs[1].Options);
        Assert.True(request.Terminal);
        Assert.Equal("/run/containerd/fifo/1/ctr-1-stdin", request.Stdin);
        Assert.Equal("/run/containerd/fifo/1/ctr-1-stdout", request.Stdout);
        Assert.Equal("/run/containerd/fifo/1/ctr-1-stderr", request.Stderr);
        Assert.Equal("/var/lib/checkpoint", request.Checkpoint);
        Assert.Equal("/var/lib/parent", request.ParentCheckpoint);

        Assert.Equal(TypeUrls.RuntimeOptions, request.Options.TypeUrl);
        Options options = request.Options.UnpackBare<Options>();
        Assert.Equal("io.containerd.sealpod.v1.Options", options.TypeUrl);
        Assert.Equal("/etc/sealpod/configuration-qemu-snp.toml", options.ConfigPath);
        Assert.True(options.ConfigBody.IsEmpty);
    }

    [Fact]
    public void ForwardRequest_carries_a_TaskExit_envelope()
    {
        ForwardRequest forward = ForwardRequest.Parser.ParseFrom(go.Fixtures["forward-exit"]);

        Envelope envelope = forward.Envelope;
        Assert.Equal(EnvelopeTime, envelope.Timestamp);
        Assert.Equal("k8s.io", envelope.Namespace);
        Assert.Equal("/tasks/exit", envelope.Topic);
        Assert.Equal("containerd.events.TaskExit", envelope.Event.TypeUrl);

        TaskExit exit = envelope.Event.UnpackBare<TaskExit>();
        Assert.Equal("ctr-1", exit.ContainerId);
        Assert.Equal("exec-7", exit.Id);
        Assert.Equal(4242u, exit.Pid);
        Assert.Equal(137u, exit.ExitStatus);
        Assert.Equal(ExitTime, exit.ExitedAt);
    }

    [Fact]
    public void The_2x_envelope_reads_the_16_envelope_bytes()
    {
        // containerd 2.x moved Envelope to containerd.types; the wire form must not change.
        var forward = ForwardRequest.Parser.ParseFrom(go.Fixtures["forward-exit"]);
        byte[] bytes16 = forward.Envelope.ToByteArray();

        var envelope2 = Containerd.Types.Envelope.Parser.ParseFrom(bytes16);

        Assert.Equal("/tasks/exit", envelope2.Topic);
        Assert.Equal(EnvelopeTime, envelope2.Timestamp);
        Assert.Equal(bytes16, envelope2.ToByteArray());
    }

    [Fact]
    public void StateResponse_decodes_every_field()
    {
        StateResponse state = StateResponse.Parser.ParseFrom(go.Fixtures["state"]);

        Assert.Equal("ctr-1", state.Id);
        Assert.Equal(Bundle, state.Bundle);
        Assert.Equal(4242u, state.Pid);
        Assert.Equal(Status.Stopped, state.Status);
        Assert.Equal("/fifo/in", state.Stdin);
        Assert.Equal("/fifo/out", state.Stdout);
        Assert.Equal("/fifo/err", state.Stderr);
        Assert.True(state.Terminal);
        Assert.Equal(3u, state.ExitStatus);
        Assert.Equal(ExitTime, state.ExitedAt);
        Assert.Equal("exec-7", state.ExecId);
    }

    [Fact]
    public void DeleteResponse_decodes_every_field()
    {
        DeleteResponse deleted = DeleteResponse.Parser.ParseFrom(go.Fixtures["delete"]);

        Assert.Equal(4242u, deleted.Pid);
        Assert.Equal(137u, deleted.ExitStatus);
        Assert.Equal(ExitTime, deleted.ExitedAt);
    }

    [Fact]
    public void PidsResponse_carries_runc_process_details()
    {
        PidsResponse pids = PidsResponse.Parser.ParseFrom(go.Fixtures["pids"]);

        Assert.Equal([4242u, 4343u], pids.Processes.Select(p => p.Pid));
        Assert.Null(pids.Processes[0].Info);
        Assert.Equal(TypeUrls.For(ProcessDetails.Descriptor), pids.Processes[1].Info.TypeUrl);
        Assert.Equal("exec-7", pids.Processes[1].Info.UnpackBare<ProcessDetails>().ExecId);
    }

    [Fact]
    public void Cgroups_v1_metrics_decode_every_field()
    {
        Metrics metrics = Metrics.Parser.ParseFrom(go.Fixtures["cgroups-v1"]);

        AssertCgroupsV1(metrics);
    }

    [Fact]
    public void StatsResponse_wraps_cgroups_v1_metrics_under_their_bare_name()
    {
        StatsResponse stats = StatsResponse.Parser.ParseFrom(go.Fixtures["stats"]);

        Assert.Equal(TypeUrls.CgroupsV1Metrics, stats.Stats.TypeUrl);
        Assert.True(stats.Stats.Holds(Metrics.Descriptor));
        Assert.False(stats.Stats.Holds(CgroupsV2.Metrics.Descriptor));
        AssertCgroupsV1(stats.Stats.UnpackBare<Metrics>());
    }

    [Fact]
    public void Cgroups_v2_metrics_decode()
    {
        CgroupsV2.Metrics metrics = CgroupsV2.Metrics.Parser.ParseFrom(go.Fixtures["cgroups-v2"]);

        Assert.Equal(3ul, metrics.Pids.Current);
        Assert.Equal(512ul, metrics.Pids.Limit);
        Assert.Equal(
            (1000ul, 600ul, 400ul, 5ul, 1ul, 20ul),
            (metrics.Cpu.UsageUsec, metrics.Cpu.UserUsec, metrics.Cpu.SystemUsec,
             metrics.Cpu.NrPeriods, metrics.Cpu.NrThrottled, metrics.Cpu.ThrottledUsec));
        Assert.Equal(4096ul, metrics.Memory.Anon);
        Assert.Equal(8192ul, metrics.Memory.File);
        Assert.Equal(16384ul, metrics.Memory.KernelStack);
        Assert.Equal(100ul, metrics.Memory.Slab);
        Assert.Equal(200ul, metrics.Memory.Sock);
        Assert.Equal(300ul, metrics.Memory.Shmem);
        Assert.Equal(77ul, metrics.Memory.Pgfault);
        Assert.Equal(7ul, metrics.Memory.Pgmajfault);
        Assert.Equal(1048576ul, metrics.Memory.Usage);
        Assert.Equal(268435456ul, metrics.Memory.UsageLimit);
        Assert.Equal(536870912ul, metrics.Memory.SwapLimit);
        CgroupsV2.IOEntry io = Assert.Single(metrics.Io.Usage);
        Assert.Equal((254ul, 0ul, 4096ul, 512ul, 2ul, 1ul), (io.Major, io.Minor, io.Rbytes, io.Wbytes, io.Rios, io.Wios));
        CgroupsV2.HugeTlbStat huge = Assert.Single(metrics.Hugetlb);
        Assert.Equal((0ul, 2097152ul, "2MB"), (huge.Current, huge.Max, huge.Pagesize));
        Assert.Equal(
            (0ul, 1ul, 2ul, 3ul, 4ul),
            (metrics.MemoryEvents.Low, metrics.MemoryEvents.High, metrics.MemoryEvents.Max,
             metrics.MemoryEvents.Oom, metrics.MemoryEvents.OomKill));
    }

    [Theory]
    [InlineData("create-task")]
    [InlineData("forward-exit")]
    [InlineData("state")]
    [InlineData("delete")]
    [InlineData("pids")]
    [InlineData("stats")]
    [InlineData("cgroups-v1")]
    [InlineData("cgroups-v2")]
    public void Reencoding_gives_back_containerds_exact_bytes(string fixture)
    {
        // Both encoders write fields in number order, so any wrong number, wire type or
        // dropped field shows up as a byte difference.
        MessageParser parser = fixture switch
        {
            "create-task" => CreateTaskRequest.Parser,
            "forward-exit" => ForwardRequest.Parser,
            "state" => StateResponse.Parser,
            "delete" => DeleteResponse.Parser,
            "pids" => PidsResponse.Parser,
            "stats" => StatsResponse.Parser,
            "cgroups-v1" => Metrics.Parser,
            "cgroups-v2" => CgroupsV2.Metrics.Parser,
            _ => throw new ArgumentOutOfRangeException(nameof(fixture)),
        };
        byte[] original = go.Fixtures[fixture];

        IMessage decoded = parser.ParseFrom(original);

        Assert.Equal(Convert.ToHexString(original), Convert.ToHexString(decoded.ToByteArray()));
    }

    private static void AssertCgroupsV1(Metrics metrics)
    {
        HugetlbStat huge = Assert.Single(metrics.Hugetlb);
        Assert.Equal((2097152ul, 4194304ul, 1ul, "2MB"), (huge.Usage, huge.Max, huge.Failcnt, huge.Pagesize));
        Assert.Equal((7ul, 1024ul), (metrics.Pids.Current, metrics.Pids.Limit));
        Assert.Equal(
            (123456789ul, 23456789ul, 100000000ul),
            (metrics.Cpu.Usage.Total, metrics.Cpu.Usage.Kernel, metrics.Cpu.Usage.User));
        Assert.Equal([60000000ul, 63456789ul], metrics.Cpu.Usage.PerCpu);
        Assert.Equal(
            (10ul, 2ul, 3000000ul),
            (metrics.Cpu.Throttling.Periods, metrics.Cpu.Throttling.ThrottledPeriods, metrics.Cpu.Throttling.ThrottledTime));

        // The Go fixture gives each scalar of MemoryStat its own field number as value.
        foreach (var field in MemoryStat.Descriptor.Fields.InFieldNumberOrder().Where(f => f.FieldType == Google.Protobuf.Reflection.FieldType.UInt64))
        {
            Assert.True(
                (ulong)field.FieldNumber == (ulong)field.Accessor.GetValue(metrics.Memory),
                $"memory.{field.Name} = {field.Accessor.GetValue(metrics.Memory)}, expected {field.FieldNumber}");
        }

        Assert.Equal(32, MemoryStat.Descriptor.Fields.InFieldNumberOrder().Count(f => f.FieldType == Google.Protobuf.Reflection.FieldType.UInt64));
        AssertEntry(metrics.Memory.Usage, 536870912, 10485760, 20971520, 0);
        AssertEntry(metrics.Memory.Swap, 1073741824, 0, 4096, 0);
        AssertEntry(metrics.Memory.Kernel, 0, 524288, 1048576, 0);
        AssertEntry(metrics.Memory.KernelTcp, 0, 8192, 16384, 0);

        Assert.Collection(
            metrics.Blkio.IoServiceBytesRecursive,
            e => Assert.Equal(("Read", "vda", 254ul, 0ul, 4096ul), (e.Op, e.Device, e.Major, e.Minor, e.Value)),
            e => Assert.Equal(("Write", "vda", 254ul, 0ul, 8192ul), (e.Op, e.Device, e.Major, e.Minor, e.Value)));
        BlkIOEntry serviced = Assert.Single(metrics.Blkio.IoServicedRecursive);
        Assert.Equal(("Total", string.Empty, 254ul, 16ul, 3ul), (serviced.Op, serviced.Device, serviced.Major, serviced.Minor, serviced.Value));
        BlkIOEntry sectors = Assert.Single(metrics.Blkio.SectorsRecursive);
        Assert.Equal((8ul, 0ul, 24ul), (sectors.Major, sectors.Minor, sectors.Value));
        Assert.Empty(metrics.Blkio.IoQueuedRecursive);

        RdmaEntry current = Assert.Single(metrics.Rdma.Current);
        Assert.Equal(("mlx5_0", 1u, 2u), (current.Device, current.HcaHandles, current.HcaObjects));
        RdmaEntry limit = Assert.Single(metrics.Rdma.Limit);
        Assert.Equal(("mlx5_0", 10u, 20u), (limit.Device, limit.HcaHandles, limit.HcaObjects));

        NetworkStat net = Assert.Single(metrics.Network);
        Assert.Equal("eth0", net.Name);
        Assert.Equal(
            (1ul, 2ul, 3ul, 4ul, 5ul, 6ul, 7ul, 8ul),
            (net.RxBytes, net.RxPackets, net.RxErrors, net.RxDropped, net.TxBytes, net.TxPackets, net.TxErrors, net.TxDropped));
        Assert.Equal(
            (1ul, 2ul, 3ul, 4ul, 5ul),
            (metrics.CgroupStats.NrSleeping, metrics.CgroupStats.NrRunning, metrics.CgroupStats.NrStopped,
             metrics.CgroupStats.NrUninterruptible, metrics.CgroupStats.NrIoWait));
        Assert.Equal(
            (1ul, 0ul, 2ul),
            (metrics.MemoryOomControl.OomKillDisable, metrics.MemoryOomControl.UnderOom, metrics.MemoryOomControl.OomKill));
    }

    private static void AssertEntry(MemoryEntry entry, ulong limit, ulong usage, ulong max, ulong failcnt) =>
        Assert.Equal((limit, usage, max, failcnt), (entry.Limit, entry.Usage, entry.Max, entry.Failcnt));
}
