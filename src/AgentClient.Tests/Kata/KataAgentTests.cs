using System.Collections.Concurrent;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging.Abstractions;
using Sealpod.AgentClient.Kata;
using Wire = Sealpod.Protos.Kata.Agent;

namespace Sealpod.AgentClient.Tests.Kata;

/// <summary>
/// Every <see cref="IAgent"/> call of the Kata agent over real ttrpc, against our own ttrpc server playing the agent on
/// a unix socket (the real agent needs a booted guest: the VM integration tests use it). The server records what
/// arrives: the Kata method, the request message and the deadline, and answers with scripted messages.
/// </summary>
public sealed class KataAgentTests : IAsyncLifetime
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(33);

    private readonly ServedAgent _served = new();
    private readonly ConcurrentQueue<Call> _calls = new();
    private IAgent _agent = null!;

    private string SocketPath => _served.SocketPath;

    public async Task InitializeAsync()
    {
        StartAgent();
        _agent = await AgentConnector.ConnectAsync(
            new AgentConnectOptions { Endpoint = new SerialEndpoint(SocketPath), DialTimeout = TimeSpan.FromSeconds(10), CallTimeout = CallTimeout },
            NullLogger.Instance);
        _calls.Clear(); // the connector's health check
    }

    public async Task DisposeAsync()
    {
        await _agent.DisposeAsync();
        await _served.DisposeAsync();
    }

    [Fact]
    public async Task Container_calls_reach_their_kata_methods_with_the_translated_requests()
    {
        var create = new CreateContainerRequest
        {
            ContainerId = "c1",
            ExecId = "c1",
            Storages = [new Storage { Driver = "blk", Source = "02/01", FsType = "erofs", Options = ["ro"], MountPoint = "/m", Shared = true }],
            Spec = Samples.Spec(),
        };

        await _agent.CreateContainerAsync(create, TimeSpan.FromSeconds(120));
        await _agent.StartContainerAsync("c1");
        await _agent.PauseContainerAsync("c1");
        await _agent.ResumeContainerAsync("c1");
        await _agent.UpdateContainerAsync("c1", Samples.Resources());
        await _agent.RemoveContainerAsync("c1", TimeSpan.FromSeconds(10));

        var calls = _calls.ToArray();
        Assert.Equal(["CreateContainer", "StartContainer", "PauseContainer", "ResumeContainer", "UpdateContainer", "RemoveContainer"], calls.Select(c => c.Method));
        Assert.All(calls, c => Assert.Equal(KataAgent.AgentService, c.Service));
        Assert.Equal(RequestTranslation.ToWire(create), calls[0].Request);
        Assert.Equivalent(create, RequestTranslation.ToDomain((Wire.CreateContainerRequest)calls[0].Request), strict: true);
        Assert.Equal(new Wire.StartContainerRequest { ContainerId = "c1" }, calls[1].Request);
        Assert.Equal(new Wire.PauseContainerRequest { ContainerId = "c1" }, calls[2].Request);
        Assert.Equal(new Wire.ResumeContainerRequest { ContainerId = "c1" }, calls[3].Request);
        Assert.Equivalent(Samples.Resources(), ResourcesTranslation.ToDomain(((Wire.UpdateContainerRequest)calls[4].Request).Resources), strict: true);
        Assert.Equal("c1", ((Wire.UpdateContainerRequest)calls[4].Request).ContainerId);
        Assert.Equal(new Wire.RemoveContainerRequest { ContainerId = "c1", Timeout = 10 }, calls[5].Request);

        // The create gets the caller's timeout, the remove the agent's timeout and 5 s more, the others the default.
        AssertDeadline(calls[0], TimeSpan.FromSeconds(120));
        AssertDeadline(calls[5], TimeSpan.FromSeconds(15));
        Assert.All(calls[1..5], c => AssertDeadline(c, CallTimeout));
    }

    [Fact]
    public async Task Sandbox_and_process_calls_reach_their_kata_methods()
    {
        var sandbox = new CreateSandboxRequest { SandboxId = "sbx", Hostname = "pod", KernelModules = [new KernelModule { Name = "m", Parameters = ["p=1"] }] };
        var copy = new CopyFileRequest { Path = "/run/f", FileSize = 3, FileMode = 0x81A4, DirMode = 0x1E8, Uid = 1, Gid = 2, Offset = 0, Data = "abc"u8.ToArray() };
        var now = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);

        await _agent.CreateSandboxAsync(sandbox);
        await _agent.SetGuestDateTimeAsync(now);
        await _agent.CopyFileAsync(copy);
        await _agent.ExecProcessAsync("c1", "e1", Samples.Process());
        await _agent.SignalProcessAsync("c1", string.Empty, 9);
        await _agent.CloseStdinAsync("c1", "e1");
        await _agent.TtyWinResizeAsync("c1", "e1", rows: 40, columns: 120);
        await _agent.DestroySandboxAsync();

        var calls = _calls.ToArray();
        Assert.Equal(["CreateSandbox", "SetGuestDateTime", "CopyFile", "ExecProcess", "SignalProcess", "CloseStdin", "TtyWinResize", "DestroySandbox"], calls.Select(c => c.Method));
        Assert.Equal(RequestTranslation.ToWire(sandbox), calls[0].Request);
        Assert.Equal(new Wire.SetGuestDateTimeRequest { Sec = 1704164645 }, calls[1].Request);
        Assert.Equal(RequestTranslation.ToWire(copy), calls[2].Request);
        Assert.Equal("abc", ((Wire.CopyFileRequest)calls[2].Request).Data.ToStringUtf8());
        Assert.Equal(RequestTranslation.ToWire("c1", "e1", Samples.Process()), calls[3].Request);
        Assert.Equal(new Wire.SignalProcessRequest { ContainerId = "c1", ExecId = string.Empty, Signal = 9 }, calls[4].Request);
        Assert.Equal(new Wire.CloseStdinRequest { ContainerId = "c1", ExecId = "e1" }, calls[5].Request);
        Assert.Equal(new Wire.TtyWinResizeRequest { ContainerId = "c1", ExecId = "e1", Row = 40, Column = 120 }, calls[6].Request);
        Assert.Equal(new Wire.DestroySandboxRequest(), calls[7].Request);
        Assert.All(calls, c => AssertDeadline(c, CallTimeout));
    }

    [Fact]
    public async Task Network_calls_reach_their_kata_methods_with_the_translated_requests()
    {
        var nic = new GuestInterface { Name = "eth0", HardwareAddress = System.Net.NetworkInformation.PhysicalAddress.Parse("02-00-00-00-00-01"), Mtu = 1450 };
        GuestRoute[] routes = [new GuestRoute { Family = System.Net.Sockets.AddressFamily.InterNetwork, Gateway = System.Net.IPAddress.Parse("10.0.0.1"), Device = "eth0" }];
        GuestNeighbour[] neighbours = [new GuestNeighbour(System.Net.IPAddress.Parse("10.0.0.9"), "eth0", System.Net.NetworkInformation.PhysicalAddress.Parse("02-00-00-00-00-09"))];

        await _agent.UpdateInterfaceAsync(nic);
        await _agent.UpdateRoutesAsync(routes);
        await _agent.AddArpNeighborsAsync(neighbours);

        var calls = _calls.ToArray();
        Assert.Equal(["UpdateInterface", "UpdateRoutes", "AddARPNeighbors"], calls.Select(c => c.Method));
        Assert.All(calls, c => Assert.Equal(KataAgent.AgentService, c.Service));
        Assert.Equal(NetworkTranslation.ToWire(nic), calls[0].Request);
        Assert.Equal(NetworkTranslation.ToWire(routes), calls[1].Request);
        Assert.Equal(NetworkTranslation.ToWire(neighbours), calls[2].Request);
        Assert.All(calls, c => AssertDeadline(c, CallTimeout));
    }

    [Fact]
    public async Task Answers_come_back_as_domain_values_and_long_polls_carry_no_deadline()
    {
        var version = await _agent.VersionAsync();
        var stats = await _agent.StatsContainerAsync("c1");
        int status = await _agent.WaitProcessAsync("c1", "e1");
        var stdout = await _agent.ReadStdoutAsync("c1", "e1", 64);
        var stderr = await _agent.ReadStderrAsync("c1", "e1", 32);
        int written = await _agent.WriteStdinAsync("c1", "e1", "hello"u8.ToArray());
        string oom = await _agent.GetOomEventAsync();
        var health = await _agent.CheckAsync(TimeSpan.FromSeconds(3));

        Assert.Equal(new AgentVersion("test-agent 1.0", "ttrpc"), version);
        Assert.Equivalent(Samples.Stats(), stats, strict: true);
        Assert.Equal(137, status);
        Assert.Equal("out:64", Encoding.UTF8.GetString(stdout.Span));
        Assert.True(stderr.IsEmpty); // end of stream
        Assert.Equal(5, written);
        Assert.Equal("c7", oom);
        Assert.Equal(AgentHealth.Serving, health);

        var calls = _calls.ToDictionary(c => c.Method);
        Assert.Equal(KataAgent.HealthService, calls["Version"].Service);
        Assert.Equal(KataAgent.HealthService, calls["Check"].Service);
        Assert.Equal(new Wire.StatsContainerRequest { ContainerId = "c1" }, calls["StatsContainer"].Request);
        Assert.Equal(new Wire.WaitProcessRequest { ContainerId = "c1", ExecId = "e1" }, calls["WaitProcess"].Request);
        Assert.Equal(new Wire.ReadStreamRequest { ContainerId = "c1", ExecId = "e1", Len = 32 }, calls["ReadStderr"].Request);
        Assert.Equal(new Wire.WriteStreamRequest { ContainerId = "c1", ExecId = "e1", Data = ByteString.CopyFromUtf8("hello") }, calls["WriteStdin"].Request);
        Assert.Equal(new Wire.GetOOMEventRequest(), calls["GetOOMEvent"].Request);

        foreach (var longPoll in (string[])["WaitProcess", "ReadStdout", "ReadStderr", "WriteStdin", "GetOOMEvent"])
        {
            Assert.Null(calls[longPoll].Deadline);
        }

        AssertDeadline(calls["Version"], CallTimeout);
        AssertDeadline(calls["StatsContainer"], CallTimeout);
        AssertDeadline(calls["Check"], TimeSpan.FromSeconds(3));
    }

    private static void AssertDeadline(Call call, TimeSpan timeout)
    {
        Assert.NotNull(call.Deadline);
        var left = call.Deadline.Value - call.ReceivedAt;
        Assert.InRange(left, timeout - TimeSpan.FromSeconds(2), timeout + TimeSpan.FromSeconds(1));
    }

    private void StartAgent()
    {
        var server = new TtrpcServer();
        var health = server.AddService(KataAgent.HealthService);
        On(health, "Check", Wire.CheckRequest.Parser, _ => new Wire.HealthCheckResponse { Status = Wire.HealthCheckResponse.Types.ServingStatus.Serving });
        On(health, "Version", Wire.CheckRequest.Parser, _ => new Wire.VersionCheckResponse { AgentVersion = "test-agent 1.0", GrpcVersion = "ttrpc" });

        var agent = server.AddService(KataAgent.AgentService);
        On(agent, "CreateSandbox", Wire.CreateSandboxRequest.Parser, _ => new Empty());
        On(agent, "DestroySandbox", Wire.DestroySandboxRequest.Parser, _ => new Empty());
        On(agent, "SetGuestDateTime", Wire.SetGuestDateTimeRequest.Parser, _ => new Empty());
        On(agent, "CopyFile", Wire.CopyFileRequest.Parser, _ => new Empty());
        On(agent, "GetOOMEvent", Wire.GetOOMEventRequest.Parser, _ => new Wire.OOMEvent { ContainerId = "c7" });
        On(agent, "CreateContainer", Wire.CreateContainerRequest.Parser, _ => new Empty());
        On(agent, "StartContainer", Wire.StartContainerRequest.Parser, _ => new Empty());
        On(agent, "RemoveContainer", Wire.RemoveContainerRequest.Parser, _ => new Empty());
        On(agent, "PauseContainer", Wire.PauseContainerRequest.Parser, _ => new Empty());
        On(agent, "ResumeContainer", Wire.ResumeContainerRequest.Parser, _ => new Empty());
        On(agent, "UpdateContainer", Wire.UpdateContainerRequest.Parser, _ => new Empty());
        On(agent, "StatsContainer", Wire.StatsContainerRequest.Parser, _ => StatsTranslation.ToWire(Samples.Stats()));
        On(agent, "ExecProcess", Wire.ExecProcessRequest.Parser, _ => new Empty());
        On(agent, "SignalProcess", Wire.SignalProcessRequest.Parser, _ => new Empty());
        On(agent, "WaitProcess", Wire.WaitProcessRequest.Parser, _ => new Wire.WaitProcessResponse { Status = 137 });
        On(agent, "WriteStdin", Wire.WriteStreamRequest.Parser, r => new Wire.WriteStreamResponse { Len = (uint)r.Data.Length });
        On(agent, "ReadStdout", Wire.ReadStreamRequest.Parser, r => new Wire.ReadStreamResponse { Data = ByteString.CopyFromUtf8($"out:{r.Len}") });
        On(agent, "ReadStderr", Wire.ReadStreamRequest.Parser, _ => new Wire.ReadStreamResponse());
        On(agent, "CloseStdin", Wire.CloseStdinRequest.Parser, _ => new Empty());
        On(agent, "TtyWinResize", Wire.TtyWinResizeRequest.Parser, _ => new Empty());
        On(agent, "UpdateInterface", Wire.UpdateInterfaceRequest.Parser, r => r.Interface);
        On(agent, "UpdateRoutes", Wire.UpdateRoutesRequest.Parser, r => r.Routes);
        On(agent, "AddARPNeighbors", Wire.AddARPNeighborsRequest.Parser, _ => new Empty());
        _served.Serve(server);
    }

    private void On<TRequest, TResponse>(TtrpcServiceBuilder service, string method, MessageParser<TRequest> parser, Func<TRequest, TResponse> answer)
        where TRequest : IMessage<TRequest>
        where TResponse : IMessage =>
        service.AddUnary<TRequest, TResponse>(method, parser, (request, context) =>
        {
            _calls.Enqueue(new Call(context.Service, context.Method, request, context.Deadline, DateTimeOffset.UtcNow));
            return ValueTask.FromResult(answer(request));
        });

    private sealed record Call(string Service, string Method, IMessage Request, DateTimeOffset? Deadline, DateTimeOffset ReceivedAt);
}
