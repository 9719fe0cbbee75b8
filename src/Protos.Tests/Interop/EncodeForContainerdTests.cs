using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Sealpod.Protos.Cgroups.V1;
using Sealpod.Protos.Containerd.Services.Events.Ttrpc.V1;
using Sealpod.Protos.Containerd.Task.V2;
using Sealpod.Protos.Containerd.Types;
using Sealpod.Protos.Containerd.Types.V1;
using Sealpod.Protos.RuntimeOptions.V1;

namespace Sealpod.Protos.Tests.Interop;

/// <summary>
/// Messages we encode, decoded by containerd 1.6's own Go types and typeurl registry.
/// </summary>
[Collection(GoProtosCollection.Name)]
public sealed class EncodeForContainerdTests(GoProtosPeer go)
{
    [Fact]
    public async Task CreateTaskRequest_with_runtime_options_is_read_by_containerd()
    {
        var request = new CreateTaskRequest
        {
            Id = "pod-a",
            Bundle = "/run/containerd/io.containerd.runtime.v2.task/k8s.io/pod-a",
            Rootfs =
            {
                new Mount { Type = "overlay", Source = "overlay", Options = { "lowerdir=/l2:/l1", "upperdir=/u", "workdir=/w" } },
                new Mount { Type = "erofs", Source = "/dev/vdb", Target = "/lower", Options = { "ro" } },
            },
            Terminal = false,
            Stdin = string.Empty,
            Stdout = "binary:///usr/bin/logger?tag=pod-a",
            Stderr = "file:///var/log/pod-a.err",
            Options = AnyExtensions.PackBare(new Options { ConfigPath = "/etc/sealpod/configuration.toml" }),
        };

        JsonElement report = await go.DecodeAsync("create-task", request);

        JsonElement message = report.GetProperty("message");
        Assert.Equal("pod-a", message.GetProperty("id").GetString());
        Assert.Equal(request.Bundle, message.GetProperty("bundle").GetString());
        JsonElement[] rootfs = [.. message.GetProperty("rootfs").EnumerateArray()];
        Assert.Equal(2, rootfs.Length);
        Assert.Equal("overlay", rootfs[0].GetProperty("type").GetString());
        Assert.Equal(["lowerdir=/l2:/l1", "upperdir=/u", "workdir=/w"], Strings(rootfs[0].GetProperty("options")));
        Assert.Equal("erofs", rootfs[1].GetProperty("type").GetString());
        Assert.Equal("/dev/vdb", rootfs[1].GetProperty("source").GetString());
        Assert.Equal("/lower", rootfs[1].GetProperty("target").GetString());
        Assert.False(message.TryGetProperty("terminal", out _));
        Assert.False(message.TryGetProperty("stdin", out _));
        Assert.Equal(request.Stdout, message.GetProperty("stdout").GetString());
        Assert.Equal(request.Stderr, message.GetProperty("stderr").GetString());

        Assert.Equal("runtimeoptions.v1.Options", report.GetProperty("any_type").GetString());
        Assert.Equal("/etc/sealpod/configuration.toml", report.GetProperty("any").GetProperty("config_path").GetString());
    }

    [Fact]
    public async Task Config_body_of_containerd_2x_is_skipped_by_containerd_16()
    {
        var request = new CreateTaskRequest
        {
            Id = "c",
            Options = AnyExtensions.PackBare(new Options
            {
                TypeUrl = "io.containerd.sealpod.v1.Options",
                ConfigPath = "/etc/sealpod/a.toml",
                ConfigBody = ByteString.CopyFromUtf8("[hypervisor.qemu]\n"),
            }),
        };

        JsonElement report = await go.DecodeAsync("create-task", request);

        JsonElement options = report.GetProperty("any");
        Assert.Equal("/etc/sealpod/a.toml", options.GetProperty("config_path").GetString());
        Assert.Equal("io.containerd.sealpod.v1.Options", options.GetProperty("type_url").GetString());
    }

    [Fact]
    public async Task TaskExit_forwarded_in_an_envelope_is_unpacked_by_typeurl()
    {
        var exit = new TaskExit
        {
            ContainerId = "pod-a",
            Id = "pod-a",
            Pid = 77,
            ExitStatus = 143,
            ExitedAt = new Timestamp { Seconds = 1712345678, Nanos = 987654321 },
        };
        var forward = new ForwardRequest
        {
            Envelope = new Containerd.Services.Events.Ttrpc.V1.Envelope
            {
                Timestamp = new Timestamp { Seconds = 1712345679, Nanos = 1 },
                Namespace = "default",
                Topic = "/tasks/exit",
                Event = AnyExtensions.PackBare(exit),
            },
        };

        JsonElement report = await go.DecodeAsync("forward-exit", forward);

        JsonElement envelope = report.GetProperty("message").GetProperty("envelope");
        Assert.Equal("2024-04-05T19:34:39.000000001Z", envelope.GetProperty("timestamp").GetString());
        Assert.Equal("default", envelope.GetProperty("namespace").GetString());
        Assert.Equal("/tasks/exit", envelope.GetProperty("topic").GetString());
        Assert.Equal("containerd.events.TaskExit", report.GetProperty("any_type").GetString());
        JsonElement decoded = report.GetProperty("any");
        Assert.Equal("pod-a", decoded.GetProperty("container_id").GetString());
        Assert.Equal("pod-a", decoded.GetProperty("id").GetString());
        Assert.Equal(77, decoded.GetProperty("pid").GetInt32());
        Assert.Equal(143, decoded.GetProperty("exit_status").GetInt32());
        Assert.Equal("2024-04-05T19:34:38.987654321Z", decoded.GetProperty("exited_at").GetString());
    }

    [Fact]
    public void The_2x_envelope_encodes_like_the_16_envelope()
    {
        var event16 = new Containerd.Services.Events.Ttrpc.V1.Envelope
        {
            Timestamp = new Timestamp { Seconds = 5, Nanos = 6 },
            Namespace = "ns",
            Topic = "/tasks/oom",
            Event = AnyExtensions.PackBare(new TaskOOM { ContainerId = "c" }),
        };
        var event2x = new Containerd.Types.Envelope
        {
            Timestamp = event16.Timestamp,
            Namespace = event16.Namespace,
            Topic = event16.Topic,
            Event = event16.Event,
        };

        Assert.Equal(event16.ToByteArray(), event2x.ToByteArray());
    }

    [Fact]
    public async Task ExecProcessRequest_spec_is_OCI_JSON_that_containerd_decodes()
    {
        var exec = new ExecProcessRequest
        {
            Id = "pod-a",
            ExecId = "exec-1",
            Terminal = true,
            Stdin = "/fifo/exec-1-in",
            Stdout = "/fifo/exec-1-out",
            Spec = AnyExtensions.PackJson(
                TypeUrls.OciProcess,
                """{"terminal":true,"user":{"uid":1000,"gid":1000},"args":["sh","-c","echo hi"],"env":["PATH=/bin"],"cwd":"/"}"""),
        };

        JsonElement report = await go.DecodeAsync("exec", exec);

        JsonElement message = report.GetProperty("message");
        Assert.Equal("exec-1", message.GetProperty("exec_id").GetString());
        Assert.True(message.GetProperty("terminal").GetBoolean());
        Assert.Equal(TypeUrls.OciProcess, report.GetProperty("any_type").GetString());
        JsonElement process = report.GetProperty("any");
        Assert.Equal(["sh", "-c", "echo hi"], Strings(process.GetProperty("args")));
        Assert.Equal(1000, process.GetProperty("user").GetProperty("uid").GetInt32());
        Assert.Equal("/", process.GetProperty("cwd").GetString());
    }

    [Fact]
    public async Task StateResponse_status_and_exit_reach_containerd()
    {
        var state = new StateResponse
        {
            Id = "pod-a",
            Bundle = "/b",
            Pid = 9,
            Status = Status.Paused,
            Terminal = true,
            ExitStatus = 255,
            ExitedAt = new Timestamp { Seconds = 1, Nanos = 2 },
            ExecId = "e",
        };

        JsonElement message = (await go.DecodeAsync("state", state)).GetProperty("message");

        Assert.Equal("pod-a", message.GetProperty("id").GetString());
        Assert.Equal("/b", message.GetProperty("bundle").GetString());
        Assert.Equal(9, message.GetProperty("pid").GetInt32());
        Assert.Equal(4, message.GetProperty("status").GetInt32());
        Assert.True(message.GetProperty("terminal").GetBoolean());
        Assert.Equal(255, message.GetProperty("exit_status").GetInt32());
        Assert.Equal("1970-01-01T00:00:01.000000002Z", message.GetProperty("exited_at").GetString());
        Assert.Equal("e", message.GetProperty("exec_id").GetString());
    }

    [Fact]
    public async Task DeleteResponse_reaches_containerd()
    {
        var deleted = new DeleteResponse { Pid = 31, ExitStatus = 137, ExitedAt = new Timestamp { Seconds = 1700000000 } };

        JsonElement message = (await go.DecodeAsync("delete", deleted)).GetProperty("message");

        Assert.Equal(31, message.GetProperty("pid").GetInt32());
        Assert.Equal(137, message.GetProperty("exit_status").GetInt32());
        Assert.Equal("2023-11-14T22:13:20Z", message.GetProperty("exited_at").GetString());
    }

    [Fact]
    public async Task TaskCreate_event_reaches_containerd()
    {
        var created = new TaskCreate
        {
            ContainerId = "pod-a",
            Bundle = "/b",
            Rootfs = { new Mount { Type = "overlay", Source = "overlay", Options = { "lowerdir=/l" } } },
            Io = new TaskIO { Stdin = "/i", Stdout = "/o", Stderr = "/e", Terminal = true },
            Checkpoint = "/cp",
            Pid = 12,
        };

        JsonElement message = (await go.DecodeAsync("task-create", created)).GetProperty("message");

        Assert.Equal("pod-a", message.GetProperty("container_id").GetString());
        Assert.Equal("/b", message.GetProperty("bundle").GetString());
        Assert.Equal("overlay", message.GetProperty("rootfs")[0].GetProperty("type").GetString());
        JsonElement io = message.GetProperty("io");
        Assert.Equal(("/i", "/o", "/e", true), (io.GetProperty("stdin").GetString(), io.GetProperty("stdout").GetString(), io.GetProperty("stderr").GetString(), io.GetProperty("terminal").GetBoolean()));
        Assert.Equal("/cp", message.GetProperty("checkpoint").GetString());
        Assert.Equal(12, message.GetProperty("pid").GetInt32());
    }

    [Fact]
    public async Task Cgroups_v1_metrics_in_a_StatsResponse_are_what_ctr_decodes()
    {
        var metrics = new Metrics
        {
            Pids = new PidsStat { Current = 4, Limit = 99 },
            Cpu = new CPUStat
            {
                Usage = new CPUUsage { Total = 1_000_000, Kernel = 400_000, User = 600_000, PerCpu = { 500_000, 500_000 } },
                Throttling = new Throttle { Periods = 3, ThrottledPeriods = 1, ThrottledTime = 77 },
            },
            Memory = new MemoryStat
            {
                Cache = 11,
                Rss = 22,
                TotalRss = 33,
                TotalUnevictable = 44,
                Usage = new MemoryEntry { Limit = 268435456, Usage = 1048576, Max = 2097152, Failcnt = 1 },
                KernelTcp = new MemoryEntry { Usage = 5 },
            },
            Blkio = new BlkIOStat { IoServiceBytesRecursive = { new BlkIOEntry { Op = "Read", Major = 254, Value = 512 } } },
            Network = { new NetworkStat { Name = "eth0", RxBytes = 100, TxDropped = 2 } },
            Hugetlb = { new HugetlbStat { Pagesize = "1GB", Max = 1 } },
            MemoryOomControl = new MemoryOomControl { OomKill = 3 },
        };
        var stats = new StatsResponse { Stats = AnyExtensions.PackBare(metrics) };

        JsonElement report = await go.DecodeAsync("stats", stats);

        Assert.Equal("io.containerd.cgroups.v1.Metrics", report.GetProperty("any_type").GetString());
        JsonElement decoded = report.GetProperty("any");
        Assert.Equal(4, decoded.GetProperty("pids").GetProperty("current").GetInt32());
        Assert.Equal(99, decoded.GetProperty("pids").GetProperty("limit").GetInt32());
        JsonElement cpu = decoded.GetProperty("cpu");
        Assert.Equal(1_000_000, cpu.GetProperty("usage").GetProperty("total").GetInt64());
        Assert.Equal(400_000, cpu.GetProperty("usage").GetProperty("kernel").GetInt64());
        Assert.Equal(600_000, cpu.GetProperty("usage").GetProperty("user").GetInt64());
        Assert.Equal(2, cpu.GetProperty("usage").GetProperty("per_cpu").GetArrayLength());
        Assert.Equal(77, cpu.GetProperty("throttling").GetProperty("throttled_time").GetInt64());
        JsonElement memory = decoded.GetProperty("memory");
        Assert.Equal(11, memory.GetProperty("cache").GetInt64());
        Assert.Equal(22, memory.GetProperty("rss").GetInt64());
        Assert.Equal(33, memory.GetProperty("total_rss").GetInt64());
        Assert.Equal(44, memory.GetProperty("total_unevictable").GetInt64());
        Assert.Equal(268435456, memory.GetProperty("usage").GetProperty("limit").GetInt64());
        Assert.Equal(2097152, memory.GetProperty("usage").GetProperty("max").GetInt64());
        Assert.Equal(5, memory.GetProperty("kernel_tcp").GetProperty("usage").GetInt64());
        JsonElement blkio = decoded.GetProperty("blkio").GetProperty("io_service_bytes_recursive")[0];
        Assert.Equal(("Read", 254, 512), (blkio.GetProperty("op").GetString(), blkio.GetProperty("major").GetInt32(), blkio.GetProperty("value").GetInt32()));
        Assert.Equal("eth0", decoded.GetProperty("network")[0].GetProperty("name").GetString());
        Assert.Equal(100, decoded.GetProperty("network")[0].GetProperty("rx_bytes").GetInt32());
        Assert.Equal(2, decoded.GetProperty("network")[0].GetProperty("tx_dropped").GetInt32());
        Assert.Equal("1GB", decoded.GetProperty("hugetlb")[0].GetProperty("pagesize").GetString());
        Assert.Equal(3, decoded.GetProperty("memory_oom_control").GetProperty("oom_kill").GetInt32());
    }

    [Fact]
    public async Task Cgroups_v2_metrics_reach_containerd()
    {
        var metrics = new Cgroups.V2.Metrics
        {
            Pids = new Cgroups.V2.PidsStat { Current = 2, Limit = 10 },
            Cpu = new Cgroups.V2.CPUStat { UsageUsec = 900, NrThrottled = 1 },
            Memory = new Cgroups.V2.MemoryStat { Anon = 1, Usage = 2, UsageLimit = 3, SwapLimit = 4 },
            Io = new Cgroups.V2.IOStat { Usage = { new Cgroups.V2.IOEntry { Major = 8, Rbytes = 10, Wios = 2 } } },
            MemoryEvents = new Cgroups.V2.MemoryEvents { OomKill = 6 },
        };

        JsonElement message = (await go.DecodeAsync("cgroups-v2", metrics)).GetProperty("message");

        Assert.Equal(10, message.GetProperty("pids").GetProperty("limit").GetInt32());
        Assert.Equal(900, message.GetProperty("cpu").GetProperty("usage_usec").GetInt32());
        Assert.Equal(1, message.GetProperty("cpu").GetProperty("nr_throttled").GetInt32());
        Assert.Equal(3, message.GetProperty("memory").GetProperty("usage_limit").GetInt32());
        Assert.Equal(4, message.GetProperty("memory").GetProperty("swap_limit").GetInt32());
        Assert.Equal(10, message.GetProperty("io").GetProperty("usage")[0].GetProperty("rbytes").GetInt32());
        Assert.Equal(6, message.GetProperty("memory_events").GetProperty("oom_kill").GetInt32());
    }

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString() ?? string.Empty)];
}
