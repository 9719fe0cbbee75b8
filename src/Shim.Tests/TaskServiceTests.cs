using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Sealpod.Protos.Containerd.Task.V2;
using Sealpod.Protos.RuntimeOptions.V1;
using Sealpod.Runtime.Configuration;
using Sealpod.Runtime.Sandboxes;
using Sealpod.Shim.Tasks;

namespace Sealpod.Shim.Tests;

/// <summary>
/// The Task API over real ttrpc, for the calls that need no VM: lookups, refusals and their status codes.
/// Creating a container for real needs QEMU and the guest; tests/integration does that through containerd.
/// </summary>
public sealed class TaskServiceTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private readonly RecordingPublisher _publisher = new();
    private SandboxHost _host = null!;
    private TaskService _service = null!;
    private TtrpcServer _server = null!;
    private Task _serving = null!;
    private TtrpcClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = new SandboxHost(new SandboxHostOptions
        {
            Publisher = _publisher,
            LoggerFactory = NullLoggerFactory.Instance,
            Directories = new RuntimeDirectories { RunRoot = _directory.File("run"), StateRoot = _directory.File("state") },
            HostCgroups = false,
        });
        _service = new TaskService(_host, NullLogger.Instance);
        _server = new TtrpcServer();
        _service.Register(_server);
        _serving = _server.ServeUnixAsync(_directory.File("shim.sock"));
        _client = await TtrpcClient.ConnectUnixAsync(_directory.File("shim.sock"));
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
        await _serving;
        await _host.DisposeAsync();
        _directory.Dispose();
    }

    [Theory]
    [InlineData("containerd.task.v2.Task")]
    [InlineData("containerd.task.v3.Task")]
    public async Task Unknown_containers_are_not_found_under_both_service_names(string service)
    {
        await AssertStatusAsync(StatusCode.NotFound, "container nope not found", () => Call(service, "State", new StateRequest { Id = "nope" }, StateResponse.Parser));
        await AssertStatusAsync(StatusCode.NotFound, "nope", () => Call(service, "Kill", new KillRequest { Id = "nope", Signal = 9 }, Empty.Parser));
        await AssertStatusAsync(StatusCode.NotFound, "nope", () => Call(service, "Wait", new WaitRequest { Id = "nope" }, WaitResponse.Parser));
        await AssertStatusAsync(StatusCode.NotFound, "nope", () => Call(service, "Delete", new DeleteRequest { Id = "nope" }, DeleteResponse.Parser));
        await AssertStatusAsync(StatusCode.NotFound, "nope", () => Call(service, "Start", new StartRequest { Id = "nope" }, StartResponse.Parser));
        await AssertStatusAsync(StatusCode.NotFound, "nope", () => Call(service, "Connect", new ConnectRequest { Id = "nope" }, ConnectResponse.Parser));
        await AssertStatusAsync(StatusCode.NotFound, "nope", () => Call(service, "Stats", new StatsRequest { Id = "nope" }, StatsResponse.Parser));
    }

    [Fact]
    public async Task Checkpoint_is_not_implemented() =>
        await AssertStatusAsync(StatusCode.Unimplemented, "checkpoint", () => Call("containerd.task.v2.Task", "Checkpoint", new CheckpointTaskRequest { Id = "c" }, Empty.Parser));

    [Fact]
    public async Task Create_from_a_checkpoint_is_not_implemented() =>
        await AssertStatusAsync(StatusCode.Unimplemented, "checkpoint", () => Create(new CreateTaskRequest { Id = "c", Bundle = _directory.File("b"), Checkpoint = "/cp" }));

    [Fact]
    public async Task Create_without_a_spec_is_an_invalid_argument_naming_the_file()
    {
        Directory.CreateDirectory(_directory.File("bundle"));

        await AssertStatusAsync(StatusCode.InvalidArgument, Path.Combine(_directory.File("bundle"), "config.json"), () => Create(new CreateTaskRequest { Id = "c", Bundle = _directory.File("bundle") }));
    }

    [Fact]
    public async Task Create_with_a_refused_annotation_fails_naming_it_before_anything_is_mounted()
    {
        string bundle = WriteBundle("c1", """{"io.katacontainers.config.hypervisor.path": "/tmp/evil-qemu"}""");
        var request = new CreateTaskRequest { Id = "c1", Bundle = bundle, Options = AnyExtensions.PackBare(new Options { ConfigPath = Repository.ShippedConfig }) };
        request.Rootfs.Add(new Protos.Containerd.Types.Mount { Type = "bind", Source = _directory.Path, Options = { "rbind" } });

        await AssertStatusAsync(StatusCode.InvalidArgument, "io.katacontainers.config.hypervisor.path", () => Create(request));

        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(bundle, "rootfs")));
        Assert.Empty(_publisher.Published);
    }

    [Fact]
    public async Task A_pod_container_without_its_sandbox_is_not_found_naming_the_sandbox()
    {
        string bundle = WriteBundle("c2", """{"io.kubernetes.cri.container-type": "container", "io.kubernetes.cri.sandbox-id": "pod9"}""");

        await AssertStatusAsync(StatusCode.NotFound, "sandbox pod9", () => Create(new CreateTaskRequest { Id = "c2", Bundle = bundle }));
    }

    [Fact]
    public async Task An_invalid_id_is_an_invalid_argument()
    {
        string bundle = WriteBundle("c3", "{}");

        await AssertStatusAsync(StatusCode.InvalidArgument, "container id '../c3' is invalid", () => Create(new CreateTaskRequest { Id = "../c3", Bundle = bundle }));
    }

    [Fact]
    public async Task Shutdown_of_an_empty_shim_lets_it_exit()
    {
        await Call("containerd.task.v2.Task", "Shutdown", new ShutdownRequest { Id = "c" }, Empty.Parser);

        Assert.False(await _service.ShutdownRequested.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private string WriteBundle(string id, string annotations)
    {
        string bundle = _directory.File(id);
        Directory.CreateDirectory(Path.Combine(bundle, "rootfs"));
        File.WriteAllText(Path.Combine(bundle, "config.json"), $$"""{"ociVersion":"1.0.2","process":{"args":["true"],"cwd":"/"},"root":{"path":"rootfs"},"annotations":{{annotations}}}""");
        return bundle;
    }

    private Task<CreateTaskResponse> Create(CreateTaskRequest request) => Call("containerd.task.v2.Task", "Create", request, CreateTaskResponse.Parser);

    private async Task<TResponse> Call<TRequest, TResponse>(string service, string method, TRequest request, Google.Protobuf.MessageParser<TResponse> parser)
        where TRequest : Google.Protobuf.IMessage
        where TResponse : Google.Protobuf.IMessage<TResponse> =>
        await _client.CallAsync(service, method, request, parser, new TtrpcCallOptions { Timeout = TimeSpan.FromSeconds(30) });

    private static async Task AssertStatusAsync(StatusCode code, string messagePart, Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(code, error.StatusCode);
        Assert.Contains(messagePart, error.Message, StringComparison.Ordinal);
    }

    private sealed class RecordingPublisher : IEventPublisher
    {
        public ConcurrentQueue<RuntimeEvent> Published { get; } = new();

        public Task PublishAsync(RuntimeEvent runtimeEvent, DateTimeOffset timestamp, CancellationToken cancellationToken)
        {
            Published.Enqueue(runtimeEvent);
            return Task.CompletedTask;
        }
    }
}
