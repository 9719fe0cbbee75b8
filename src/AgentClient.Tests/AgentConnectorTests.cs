using Microsoft.Extensions.Logging.Abstractions;
using Sealpod.AgentClient.Kata;
using Sealpod.Protos.Kata.Agent;

namespace Sealpod.AgentClient.Tests;

/// <summary>
/// The dial/retry logic against a real ttrpc server (our own) that plays the guest agent's health
/// service on a unix socket, as QEMU's virtio-serial chardev would present it. The real agent in a real
/// VM is exercised by the integration tests.
/// </summary>
public sealed class AgentConnectorTests : IAsyncLifetime
{
    private readonly ServedAgent _agent = new();

    private string SocketPath => _agent.SocketPath;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _agent.DisposeAsync();

    [Fact]
    public async Task Retries_until_the_agent_listens_then_returns_a_working_client()
    {
        var options = Options(TimeSpan.FromSeconds(10));
        var connecting = AgentConnector.ConnectAsync(options, NullLogger.Instance);
        await Task.Delay(300);
        Assert.False(connecting.IsCompleted);

        StartAgent();
        await using var client = await connecting;
        var version = await client.VersionAsync();

        Assert.Equal(("test-agent 1.0", "ttrpc"), (version.Agent, version.Rpc));
    }

    [Fact]
    public async Task An_agent_that_never_answers_fails_with_the_timeout_and_the_console_tail()
    {
        var options = Options(TimeSpan.FromMilliseconds(600)) with { ConsoleTail = () => "[    0.42] Kernel panic - not syncing\n" };

        var error = await Assert.ThrowsAsync<AgentUnreachableException>(() => AgentConnector.ConnectAsync(options, NullLogger.Instance));

        Assert.Contains("agent did not answer within 0.6 s", error.Message, StringComparison.Ordinal);
        Assert.Contains("serial://" + SocketPath, error.Message, StringComparison.Ordinal);
        Assert.Contains("guest console tail:\n[    0.42] Kernel panic", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_VM_that_exits_while_dialling_stops_the_wait_at_once()
    {
        var exited = new TaskCompletionSource<string>();
        var options = Options(TimeSpan.FromSeconds(30)) with { VmExited = exited.Task };
        var connecting = AgentConnector.ConnectAsync(options, NullLogger.Instance);
        await Task.Delay(200);

        exited.SetResult("qemu (pid 4242) was killed by signal 9");
        var error = await Assert.ThrowsAsync<AgentUnreachableException>(() => connecting.WaitAsync(TimeSpan.FromSeconds(5)));

        Assert.Contains("the VM exited before the agent", error.Message, StringComparison.Ordinal);
        Assert.Contains("killed by signal 9", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pending_call_fails_with_the_VM_death_when_the_VM_exits()
    {
        var exited = new TaskCompletionSource<string>();
        var waitStarted = new TaskCompletionSource();
        StartAgent(waitStarted);
        await using var client = await AgentConnector.ConnectAsync(Options(TimeSpan.FromSeconds(10)) with { VmExited = exited.Task }, NullLogger.Instance);

        var waiting = client.WaitProcessAsync("c1", string.Empty);
        await waitStarted.Task.WaitAsync(TimeSpan.FromSeconds(5));
        exited.SetResult("qemu (pid 4242) was killed by signal 9");
        var error = await Assert.ThrowsAsync<AgentUnreachableException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(2)));

        Assert.Contains("grpc.AgentService/WaitProcess failed: the VM died (qemu (pid 4242) was killed by signal 9)", error.Message, StringComparison.Ordinal);
    }

    private AgentConnectOptions Options(TimeSpan dialTimeout) =>
        new() { Endpoint = new SerialEndpoint(SocketPath), DialTimeout = dialTimeout, ConsoleTail = () => string.Empty };

    private void StartAgent(TaskCompletionSource? waitStarted = null)
    {
        var server = new TtrpcServer();
        server.AddService(KataAgent.HealthService)
            .AddUnary("Check", CheckRequest.Parser, (_, _) => ValueTask.FromResult(new HealthCheckResponse { Status = HealthCheckResponse.Types.ServingStatus.Serving }))
            .AddUnary("Version", CheckRequest.Parser, (_, _) => ValueTask.FromResult(new VersionCheckResponse { AgentVersion = "test-agent 1.0", GrpcVersion = "ttrpc" }));
        server.AddService(KataAgent.AgentService)
            .AddUnary<WaitProcessRequest, WaitProcessResponse>("WaitProcess", WaitProcessRequest.Parser, async (_, context) =>
            {
                waitStarted?.TrySetResult();
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
                return new WaitProcessResponse();
            });
        _agent.Serve(server);
    }
}
