using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Sealpod.Protos.Kata.Agent;
using Sealpod.Rpc;
using Sealpod.Rpc.Ttrpc;

namespace Sealpod.AgentClient;

/// <summary>
/// The Kata agent API over one ttrpc connection (services <c>grpc.AgentService</c> and <c>grpc.Health</c>).
/// Methods are grouped as runtime-rs groups them: health, sandbox, container, process, io.
/// A call that fails because the VM died reports that, with the guest console's tail.
/// </summary>
public sealed class KataAgentClient : IAsyncDisposable
{
    public const string AgentService = "grpc.AgentService";
    public const string HealthService = "grpc.Health";

    private readonly TtrpcClient _client;
    private readonly AgentConnectOptions _options;

    public KataAgentClient(TtrpcClient client, AgentConnectOptions options)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _options = options ?? throw new ArgumentNullException(nameof(options));
    }

    /// <summary>Cancelled when the connection to the agent closes.</summary>
    public CancellationToken Closed => _client.Closed;

    public ValueTask DisposeAsync() => _client.DisposeAsync();

    // ---- health

    public Task<HealthCheckResponse> CheckAsync(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        CallAsync(HealthService, "Check", new CheckRequest(), HealthCheckResponse.Parser, timeout, cancellationToken);

    public Task<VersionCheckResponse> VersionAsync(CancellationToken cancellationToken = default) =>
        CallAsync(HealthService, "Version", new CheckRequest(), VersionCheckResponse.Parser, _options.CallTimeout, cancellationToken);

    // ---- sandbox

    public Task CreateSandboxAsync(CreateSandboxRequest request, CancellationToken cancellationToken = default) =>
        CallAsync(AgentService, "CreateSandbox", request, Empty.Parser, _options.CallTimeout, cancellationToken);

    public Task DestroySandboxAsync(CancellationToken cancellationToken = default) =>
        CallAsync(AgentService, "DestroySandbox", new DestroySandboxRequest(), Empty.Parser, _options.CallTimeout, cancellationToken);

    public Task<GuestDetailsResponse> GetGuestDetailsAsync(GuestDetailsRequest request, CancellationToken cancellationToken = default) =>
        CallAsync(AgentService, "GetGuestDetails", request, GuestDetailsResponse.Parser, _options.CallTimeout, cancellationToken);

    public Task SetGuestDateTimeAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        long microseconds = (now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        var request = new SetGuestDateTimeRequest { Sec = microseconds / 1_000_000, Usec = microseconds % 1_000_000 };
        return CallAsync(AgentService, "SetGuestDateTime", request, Empty.Parser, _options.CallTimeout, cancellationToken);
    }

    public Task CopyFileAsync(CopyFileRequest request, CancellationToken cancellationToken = default) =>
        CallAsync(AgentService, "CopyFile", request, Empty.Parser, _options.CallTimeout, cancellationToken);

    public Task OnlineCpuMemAsync(OnlineCPUMemRequest request, CancellationToken cancellationToken = default) =>
        CallAsync(AgentService, "OnlineCPUMem", request, Empty.Parser, _options.CallTimeout, cancellationToken);

    /// <summary>Long poll: completes when a container hits OOM.</summary>
    public Task<OOMEvent> GetOomEventAsync(CancellationToken cancellationToken = default) =>
        CallAsync(AgentService, "GetOOMEvent", new GetOOMEventRequest(), OOMEvent.Parser, null, cancellationToken);

    // ---- container

    public Task CreateContainerAsync(CreateContainerRequest request, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        CallAsync(AgentService, "CreateContainer", request, Empty.Parser, timeout, cancellationToken);

    public Task StartContainerAsync(string containerId, CancellationToken cancellationToken = default) =>
        CallAsync(AgentService, "StartContainer", new StartContainerRequest { ContainerId = containerId }, Empty.Parser, _options.CallTimeout, cancellationToken);

    public Task RemoveContainerAsync(string containerId, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        CallAsync(AgentService, "RemoveContainer", new RemoveContainerRequest { ContainerId = containerId, Timeout = (uint)timeout.TotalSeconds }, Empty.Parser, timeout + TimeSpan.FromSeconds(5), cancellationToken);

    public Task PauseContainerAsync(string containerId, CancellationToken cancellationToken = default) =>
        CallAsync(AgentService, "PauseContainer", new PauseContainerRequest { ContainerId = containerId }, Empty.Parser, _options.CallTimeout, cancellationToken);

    public Task ResumeContainerAsync(string containerId, CancellationToken cancellationToken = default) =>
        CallAsync(AgentService, "ResumeContainer", new ResumeContainerRequest { ContainerId = containerId }, Empty.Parser, _options.CallTimeout, cancellationToken);

    public Task UpdateContainerAsync(UpdateContainerRequest request, CancellationToken cancellationToken = default) =>
        CallAsync(AgentService, "UpdateContainer", request, Empty.Parser, _options.CallTimeout, cancellationToken);

    public Task<StatsContainerResponse> StatsContainerAsync(string containerId, CancellationToken cancellationToken = default) =>
        CallAsync(AgentService, "StatsContainer", new StatsContainerRequest { ContainerId = containerId }, StatsContainerResponse.Parser, _options.CallTimeout, cancellationToken);

    // ---- process

    public Task ExecProcessAsync(ExecProcessRequest request, CancellationToken cancellationToken = default) =>
        CallAsync(AgentService, "ExecProcess", request, Empty.Parser, _options.CallTimeout, cancellationToken);

    public Task SignalProcessAsync(string containerId, string execId, uint signal, CancellationToken cancellationToken = default) =>
        CallAsync(AgentService, "SignalProcess", new SignalProcessRequest { ContainerId = containerId, ExecId = execId, Signal = signal }, Empty.Parser, _options.CallTimeout, cancellationToken);

    /// <summary>Long poll: completes with the exit status (code, or 128+signal) when the process ends.</summary>
    public async Task<int> WaitProcessAsync(string containerId, string execId, CancellationToken cancellationToken = default)
    {
        var response = await CallAsync(AgentService, "WaitProcess", new WaitProcessRequest { ContainerId = containerId, ExecId = execId }, WaitProcessResponse.Parser, null, cancellationToken).ConfigureAwait(false);
        return response.Status;
    }

    // ---- io

    public async Task<int> WriteStdinAsync(string containerId, string execId, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        var request = new WriteStreamRequest { ContainerId = containerId, ExecId = execId, Data = UnsafeByteOperations.UnsafeWrap(data) };
        var response = await CallAsync(AgentService, "WriteStdin", request, WriteStreamResponse.Parser, null, cancellationToken).ConfigureAwait(false);
        return (int)response.Len;
    }

    /// <summary>Long poll for up to <paramref name="maxLength"/> bytes of stdout; empty means end of stream.</summary>
    public Task<ByteString> ReadStdoutAsync(string containerId, string execId, int maxLength, CancellationToken cancellationToken = default) =>
        ReadAsync("ReadStdout", containerId, execId, maxLength, cancellationToken);

    /// <summary>Long poll for up to <paramref name="maxLength"/> bytes of stderr; empty means end of stream.</summary>
    public Task<ByteString> ReadStderrAsync(string containerId, string execId, int maxLength, CancellationToken cancellationToken = default) =>
        ReadAsync("ReadStderr", containerId, execId, maxLength, cancellationToken);

    public Task CloseStdinAsync(string containerId, string execId, CancellationToken cancellationToken = default) =>
        CallAsync(AgentService, "CloseStdin", new CloseStdinRequest { ContainerId = containerId, ExecId = execId }, Empty.Parser, _options.CallTimeout, cancellationToken);

    public Task TtyWinResizeAsync(string containerId, string execId, uint rows, uint columns, CancellationToken cancellationToken = default) =>
        CallAsync(AgentService, "TtyWinResize", new TtyWinResizeRequest { ContainerId = containerId, ExecId = execId, Row = rows, Column = columns }, Empty.Parser, _options.CallTimeout, cancellationToken);

    private async Task<ByteString> ReadAsync(string method, string containerId, string execId, int maxLength, CancellationToken cancellationToken)
    {
        var request = new ReadStreamRequest { ContainerId = containerId, ExecId = execId, Len = (uint)maxLength };
        var response = await CallAsync(AgentService, method, request, ReadStreamResponse.Parser, null, cancellationToken).ConfigureAwait(false);
        return response.Data;
    }

    private async Task<TResponse> CallAsync<TRequest, TResponse>(
        string service,
        string method,
        TRequest request,
        MessageParser<TResponse> parser,
        TimeSpan? timeout,
        CancellationToken cancellationToken)
        where TRequest : IMessage
        where TResponse : IMessage<TResponse>
    {
        var callOptions = timeout is null ? null : new TtrpcCallOptions { Timeout = timeout };
        var call = _client.CallAsync(service, method, request, parser, callOptions, cancellationToken).AsTask();
        try
        {
            if (_options.VmExited is not { } vmExited)
            {
                return await call.ConfigureAwait(false);
            }

            // The transport can outlive the VM for a moment (a socket QEMU held may take time to close),
            // so the VM's own exit fails the call as soon as it is known.
            var first = await Task.WhenAny(call, vmExited).ConfigureAwait(false);
            if (first == call || !vmExited.IsCompletedSuccessfully)
            {
                return await call.ConfigureAwait(false);
            }

            ObserveLater(call);
            throw new AgentUnreachableException($"{service}/{method} failed: the VM died ({vmExited.Result}){AgentConnector.ConsoleTail(_options)}");
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && _options.VmExited is { } vmExited)
        {
            // The agent's end of the connection usually closes a moment before the hypervisor's exit
            // is observed; give the exit a moment to arrive so the error says what really happened.
            await Task.WhenAny(vmExited, Task.Delay(VmExitGrace, _options.TimeProvider, CancellationToken.None)).ConfigureAwait(false);
            if (vmExited.IsCompletedSuccessfully)
            {
                throw new AgentUnreachableException($"{service}/{method} failed: the VM died ({vmExited.Result}){AgentConnector.ConsoleTail(_options)}", e);
            }

            throw new AgentUnreachableException($"{service}/{method} failed: the connection to the agent closed while the VM still runs{AgentConnector.ConsoleTail(_options)}", e);
        }
    }

    private static readonly TimeSpan VmExitGrace = TimeSpan.FromSeconds(1);

    private static void ObserveLater(Task task) =>
        _ = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
