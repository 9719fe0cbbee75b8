using Wire = Sealpod.Protos.Kata.Agent;

namespace Sealpod.Agent.Tests;

/// <summary>
/// The agent API end to end: a real Sealpod.Rpc ttrpc client talks to the agent's server over a
/// unix socket, and the calls run real containers.
/// </summary>
[Collection(AgentCollection.Name)]
[Trait(TestCategories.Name, TestCategories.Root)]
public sealed class AgentServiceTests(AgentFixture fixture) : IAsyncLifetime
{
    private const string Agent = AgentService.AgentServiceName;
    private readonly CancellationTokenSource _serving = new();
    private string _socket = "";
    private Task _server = Task.CompletedTask;
    private TtrpcClient? _client;

    private TtrpcClient Client => _client!;

    public async Task InitializeAsync()
    {
        _socket = Path.Combine(fixture.Root, $"agent-{Guid.NewGuid():N}"[..20] + ".sock");
        _server = fixture.Host.Server.ServeUnixAsync(_socket, _serving.Token);
        for (var attempt = 0; !File.Exists(_socket) && attempt < 100; attempt++)
        {
            await Task.Delay(20);
        }

        _client = await TtrpcClient.ConnectUnixAsync(_socket);
    }

    public async Task DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }

        await _serving.CancelAsync();
        await _server;
        _serving.Dispose();
    }

    [Fact]
    public async Task Health_answers_serving_and_the_version()
    {
        var health = await Client.CallAsync(AgentService.HealthServiceName, "Check", new Wire.CheckRequest(), Wire.HealthCheckResponse.Parser);
        var version = await Client.CallAsync(AgentService.HealthServiceName, "Version", new Wire.CheckRequest(), Wire.VersionCheckResponse.Parser);

        Assert.Equal(Wire.HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        Assert.Equal(AgentService.Version, version.AgentVersion);
    }

    [Theory]
    [InlineData("ListInterfaces")]
    [InlineData("GetIPTables")]
    [InlineData("NoSuchMethod")]
    public async Task Methods_the_agent_does_not_serve_answer_unimplemented(string method)
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await Client.CallAsync(Agent, method, new Empty(), Empty.Parser));

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }

    [Fact]
    public async Task A_container_runs_through_the_wire_api()
    {
        var id = TestSpecs.NewId("wire");
        var spec = SpecConversionTests.ContainerdDefaultSpec();
        spec.Root.Path = fixture.RootfsPath;
        spec.Process.Args.Clear();
        spec.Process.Args.Add("sh");
        spec.Process.Args.Add("-c");
        spec.Process.Args.Add("read line; echo got:$line; echo bad >&2; exit 9");
        spec.Linux.CgroupsPath = "";

        await Call("CreateContainer", new Wire.CreateContainerRequest { ContainerId = id, ExecId = id, OCI = spec });
        try
        {
            await Call("StartContainer", new Wire.StartContainerRequest { ContainerId = id });
            var stdout = Client.CallAsync(Agent, "ReadStdout", new Wire.ReadStreamRequest { ContainerId = id, ExecId = id, Len = 1024 }, Wire.ReadStreamResponse.Parser).AsTask();
            var written = await Client.CallAsync(Agent, "WriteStdin", new Wire.WriteStreamRequest { ContainerId = id, ExecId = id, Data = ByteString.CopyFromUtf8("hello\n") }, Wire.WriteStreamResponse.Parser);
            var stderr = await Client.CallAsync(Agent, "ReadStderr", new Wire.ReadStreamRequest { ContainerId = id, Len = 1024 }, Wire.ReadStreamResponse.Parser);
            var wait = await Client.CallAsync(Agent, "WaitProcess", new Wire.WaitProcessRequest { ContainerId = id, ExecId = id }, Wire.WaitProcessResponse.Parser);

            Assert.Equal(6u, written.Len);
            Assert.Equal("got:hello\n", (await stdout).Data.ToStringUtf8());
            Assert.Equal("bad\n", stderr.Data.ToStringUtf8());
            Assert.Equal(9, wait.Status);
            var end = await Client.CallAsync(Agent, "ReadStdout", new Wire.ReadStreamRequest { ContainerId = id, Len = 1024 }, Wire.ReadStreamResponse.Parser);
            Assert.True(end.Data.IsEmpty);

            var stats = await Client.CallAsync(Agent, "StatsContainer", new Wire.StatsContainerRequest { ContainerId = id }, Wire.StatsContainerResponse.Parser);
            Assert.NotNull(stats.CgroupStats.MemoryStats);
        }
        finally
        {
            await Call("RemoveContainer", new Wire.RemoveContainerRequest { ContainerId = id, Timeout = 10 });
        }

        var gone = await Assert.ThrowsAsync<RpcException>(() => Call("StartContainer", new Wire.StartContainerRequest { ContainerId = id }));
        Assert.Equal(StatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Errors_map_to_their_status_codes()
    {
        var spec = SpecConversionTests.ContainerdDefaultSpec();
        spec.Root.Path = fixture.RootfsPath;
        spec.Process.Args.Clear();
        spec.Process.Args.Add("sleep");
        spec.Process.Args.Add("1000");
        var id = TestSpecs.NewId("codes");

        Assert.Equal(StatusCode.InvalidArgument, (await Assert.ThrowsAsync<RpcException>(() => Call("CreateContainer", new Wire.CreateContainerRequest { ContainerId = "../escape", OCI = spec }))).StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, (await Assert.ThrowsAsync<RpcException>(() => Call("CreateContainer", new Wire.CreateContainerRequest { ContainerId = id }))).StatusCode);
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(() => Call("PauseContainer", new Wire.PauseContainerRequest { ContainerId = "missing" }))).StatusCode);

        await Call("CreateContainer", new Wire.CreateContainerRequest { ContainerId = id, OCI = spec });
        try
        {
            Assert.Equal(StatusCode.AlreadyExists, (await Assert.ThrowsAsync<RpcException>(() => Call("CreateContainer", new Wire.CreateContainerRequest { ContainerId = id, OCI = spec }))).StatusCode);
            Assert.Equal(StatusCode.FailedPrecondition, (await Assert.ThrowsAsync<RpcException>(() => Call("ResumeContainer", new Wire.ResumeContainerRequest { ContainerId = id }))).StatusCode);
            Assert.Equal(StatusCode.FailedPrecondition, (await Assert.ThrowsAsync<RpcException>(() => Call("TtyWinResize", new Wire.TtyWinResizeRequest { ContainerId = id, Row = 1, Column = 1 }))).StatusCode);
        }
        finally
        {
            await Call("RemoveContainer", new Wire.RemoveContainerRequest { ContainerId = id, Timeout = 10 });
        }
    }

    [Fact]
    public async Task A_long_poll_does_not_hold_up_other_calls_and_ends_when_cancelled()
    {
        using var cancel = new CancellationTokenSource();
        var oom = Client.CallAsync(Agent, "GetOOMEvent", new Wire.GetOOMEventRequest(), Wire.OOMEvent.Parser, cancellationToken: cancel.Token).AsTask();

        var health = await Client.CallAsync(AgentService.HealthServiceName, "Check", new Wire.CheckRequest(), Wire.HealthCheckResponse.Parser);
        Assert.Equal(Wire.HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        Assert.False(oom.IsCompleted);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => oom);
    }

    [Fact]
    public async Task Copy_file_and_guest_details_work_through_the_wire()
    {
        var path = Path.Combine(fixture.Options.CopyFileRoot, "wire", "hosts");
        await Call("CopyFile", new Wire.CopyFileRequest { Path = path, FileSize = 10, FileMode = 0x81A4, DirMode = 0x1ED, Uid = -1, Gid = -1, Data = ByteString.CopyFromUtf8("127.0.0.1\n") });
        var escape = await Assert.ThrowsAsync<RpcException>(() => Call("CopyFile", new Wire.CopyFileRequest { Path = "/etc/sealpod-should-not-exist", FileSize = 1, Data = ByteString.CopyFromUtf8("x") }));
        var details = await Client.CallAsync(Agent, "GetGuestDetails", new Wire.GuestDetailsRequest { MemBlockSize = true }, Wire.GuestDetailsResponse.Parser);
        var clock = await Assert.ThrowsAsync<RpcException>(() => Call("SetGuestDateTime", new Wire.SetGuestDateTimeRequest { Sec = 1, Usec = 2_000_000 }));

        Assert.Equal("127.0.0.1\n", await File.ReadAllTextAsync(path));
        Assert.Equal(StatusCode.InvalidArgument, escape.StatusCode);
        Assert.False(File.Exists("/etc/sealpod-should-not-exist"));
        Assert.Equal(AgentService.Version, details.AgentDetails.Version);
        Assert.Contains("blk", details.AgentDetails.StorageHandlers);
        Assert.Contains("overlayfs", details.AgentDetails.StorageHandlers);
        Assert.Equal(StatusCode.InvalidArgument, clock.StatusCode);
    }

    private Task Call<TRequest>(string method, TRequest request)
        where TRequest : IMessage =>
        Client.CallAsync(Agent, method, request, Empty.Parser).AsTask();
}
