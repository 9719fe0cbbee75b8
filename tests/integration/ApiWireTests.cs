using Sealpod.CriHarness.V1;
using Sealpod.IntegrationTests.Containerd.Tasks.V1;

namespace Sealpod.IntegrationTests;

/// <summary>
/// The .proto files these tests call containerd with are ours, written from upstream's field numbers: golden bytes,
/// worked out by hand from those numbers, check that the generated messages put each field where containerd reads
/// it (and read what it sends). Needs no containerd.
/// </summary>
public sealed class ApiWireTests
{
    [Fact]
    public void Services_and_methods_have_upstreams_names()
    {
        Assert.Equal("runtime.v1.RuntimeService", RuntimeService.Descriptor.FullName);
        Assert.Equal("runtime.v1.ImageService", ImageService.Descriptor.FullName);
        Assert.Equal("containerd.services.tasks.v1.Tasks", Tasks.Descriptor.FullName);
        Assert.Equal(
            ["Version", "RunPodSandbox", "StopPodSandbox", "RemovePodSandbox", "PodSandboxStatus", "ListPodSandbox", "CreateContainer",
                "StartContainer", "StopContainer", "RemoveContainer", "ListContainers", "ContainerStatus", "ExecSync", "PortForward", "ContainerStats", "PodSandboxStats"],
            RuntimeService.Descriptor.Methods.Select(m => m.Name));
        Assert.Equal(["ListImages", "ImageStatus", "PullImage", "RemoveImage"], ImageService.Descriptor.Methods.Select(m => m.Name));
    }

    [Fact]
    public void RunPodSandboxRequest_encodes_config_and_handler()
    {
        var request = new RunPodSandboxRequest
        {
            Config = new PodSandboxConfig
            {
                Metadata = new PodSandboxMetadata { Name = "p", Uid = "u", Namespace = "n", Attempt = 1 },
                Hostname = "h",
                Annotations = { ["a"] = "b" },
                Linux = new LinuxPodSandboxConfig { CgroupParent = "c" },
            },
            RuntimeHandler = "sealpod",
        };

        Assert.Equal(
            "0a1d" // config = 1, 29 bytes
            + "0a0b" + "0a0170" + "120175" + "1a016e" + "2001" // metadata = 1: name 1, uid 2, namespace 3, attempt 4
            + "120168" // hostname = 2
            + "3a06" + "0a0161" + "120162" // annotations = 7, one map entry
            + "4203" + "0a0163" // linux = 8: cgroup_parent 1
            + "12077365616c706f64", // runtime_handler = 2
            Hex(request));
    }

    [Fact]
    public void CreateContainerRequest_encodes_the_container_config()
    {
        var request = new CreateContainerRequest
        {
            PodSandboxId = "s",
            Config = new ContainerConfig
            {
                Metadata = new ContainerMetadata { Name = "c" },
                Image = new ImageSpec { Image = "busybox", UserSpecifiedImage = "b" },
                Command = { "sh" },
                Args = { "-c", "x" },
                Envs = { new KeyValue { Key = "A", Value = "1" } },
                Tty = true,
                Linux = new LinuxContainerConfig { Resources = new LinuxContainerResources { MemoryLimitInBytes = 64 << 20 } },
            },
        };

        Assert.Equal(
            "0a0173" // pod_sandbox_id = 1
            + "1232" // config = 2, 50 bytes
            + "0a03" + "0a0163" // metadata = 1: name 1
            + "120d" + "0a0762757379626f78" + "92010162" // image = 2: image 1, user_specified_image 18
            + "1a027368" // command = 3
            + "22022d63" + "220178" // args = 4
            + "3206" + "0a0141" + "120131" // envs = 6: key 1, value 2
            + "7001" // tty = 14
            + "7a07" + "0a05" + "2080808020", // linux = 15: resources 1: memory_limit_in_bytes 4 = 2^26
            Hex(request));
    }

    [Fact]
    public void Small_requests_put_ids_and_numbers_where_containerd_reads_them()
    {
        Assert.Equal("0a027631", Hex(new VersionRequest { Version = "v1" }));
        Assert.Equal("0a0173", Hex(new StopPodSandboxRequest { PodSandboxId = "s" }));
        Assert.Equal("0a0173", Hex(new RemovePodSandboxRequest { PodSandboxId = "s" }));
        Assert.Equal("0a01731001", Hex(new PodSandboxStatusRequest { PodSandboxId = "s", Verbose = true }));
        Assert.Equal("0a0412020801", Hex(new ListPodSandboxRequest { Filter = new PodSandboxFilter { State = new PodSandboxStateValue { State = PodSandboxState.SandboxNotready } } }));
        Assert.Equal("0a0163", Hex(new StartContainerRequest { ContainerId = "c" }));
        Assert.Equal("0a0163100a", Hex(new StopContainerRequest { ContainerId = "c", Timeout = 10 }));
        Assert.Equal("0a0163", Hex(new RemoveContainerRequest { ContainerId = "c" }));
        Assert.Equal("0a01631001", Hex(new ContainerStatusRequest { ContainerId = "c", Verbose = true }));
        Assert.Equal("0a0163" + "12026361" + "12026964" + "1805", Hex(new ExecSyncRequest { ContainerId = "c", Cmd = { "ca", "id" }, Timeout = 5 }));
        Assert.Equal("0a0163", Hex(new ContainerStatsRequest { ContainerId = "c" }));
        Assert.Equal("0a0173", Hex(new PodSandboxStatsRequest { PodSandboxId = "s" }));
        Assert.Equal("0a030a0162", Hex(new PullImageRequest { Image = new ImageSpec { Image = "b" } }));
        Assert.Equal("0a030a0162", Hex(new ImageStatusRequest { Image = new ImageSpec { Image = "b" } }));
        Assert.Equal("0a030a0162", Hex(new RemoveImageRequest { Image = new ImageSpec { Image = "b" } }));
        Assert.Equal("0a050a030a0162", Hex(new ListImagesRequest { Filter = new ImageFilter { Image = new ImageSpec { Image = "b" } } }));
    }

    [Fact]
    public void Responses_read_what_containerd_sends()
    {
        var version = VersionResponse.Parser.ParseFrom(Bytes("0a027631" + "120a636f6e7461696e657264" + "1a06312e362e3230" + "22027631"));
        var exec = ExecSyncResponse.Parser.ParseFrom(Bytes("0a026869" + "120165" + "1803"));
        var status = ContainerStatusResponse.Parser.ParseFrom(Bytes(
            "0a13" + "0a0163" + "1802" + "388901" + "52094f4f4d4b696c6c6564" // status = 1: id 1, state 3, exit_code 7, reason 10
            + "120a" + "0a04696e666f" + "12027b7d")); // info = 2: {"info": "{}"}
        var pod = PodSandboxStatusResponse.Parser.ParseFrom(Bytes("0a0a" + "0a0173" + "1801" + "2a030a0178")); // id 1, state 3, network 5: ip 1
        var pulled = PullImageResponse.Parser.ParseFrom(Bytes("0a0a" + "7368613235363a616263"));

        Assert.Equal(("v1", "containerd", "1.6.20", "v1"), (version.Version, version.RuntimeName, version.RuntimeVersion, version.RuntimeApiVersion));
        Assert.Equal(("hi", "e", 3), (exec.Stdout.ToStringUtf8(), exec.Stderr.ToStringUtf8(), exec.ExitCode));
        Assert.Equal(("c", ContainerState.ContainerExited, 137, "OOMKilled"), (status.Status.Id, status.Status.State, status.Status.ExitCode, status.Status.Reason));
        Assert.Equal("{}", status.Info["info"]);
        Assert.Equal(("s", PodSandboxState.SandboxNotready, "x"), (pod.Status.Id, pod.Status.State, pod.Status.Network.Ip));
        Assert.Equal("sha256:abc", pulled.ImageRef);
    }

    [Fact]
    public void Tasks_UpdateTaskRequest_matches_the_shims_wire_layout()
    {
        var resources = new Any { TypeUrl = "t", Value = ByteString.CopyFromUtf8("{}") };
        var update = new UpdateTaskRequest { ContainerId = "u", Resources = resources, Annotations = { ["k"] = "v" } };
        var shims = new Sealpod.Protos.Containerd.Task.V2.UpdateTaskRequest { Id = "u", Resources = resources, Annotations = { ["k"] = "v" } };

        Assert.Equal("0a0175" + "1207" + "0a0174" + "12027b7d" + "1a06" + "0a016b" + "120176", Hex(update));
        Assert.Equal(Hex(shims), Hex(update));
    }

    private static string Hex(IMessage message) => Convert.ToHexStringLower(message.ToByteArray());

    private static byte[] Bytes(string hex) => Convert.FromHexString(hex);
}
