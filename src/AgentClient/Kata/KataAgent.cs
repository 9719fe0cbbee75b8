using Google.Protobuf.WellKnownTypes;
using Sealpod.AgentClient.Kata.Translation;
using Wire = Sealpod.Protos.Kata.Agent;

namespace Sealpod.AgentClient.Kata;

/// <summary>
/// The Kata agent API over one ttrpc connection (services <c>grpc.AgentService</c> and <c>grpc.Health</c>): each
/// call translates its arguments to Kata's messages (Translation/), calls, and translates the answer back.
/// Calls that are not long polls carry <see cref="AgentConnectOptions.CallTimeout"/>.
/// </summary>
internal sealed partial class KataAgent : IAgent
{
    public const string AgentService = "grpc.AgentService";
    public const string HealthService = "grpc.Health";

    private readonly TtrpcClient _client;
    private readonly AgentConnectOptions _options;

    public KataAgent(TtrpcClient client, AgentConnectOptions options)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _options = options ?? throw new ArgumentNullException(nameof(options));
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();

    // ---- health

    public async Task<AgentHealth> CheckAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var response = await CallAsync(HealthService, "Check", new Wire.CheckRequest(), Wire.HealthCheckResponse.Parser, timeout, cancellationToken).ConfigureAwait(false);
        return RequestTranslation.ToDomain(response.Status);
    }

    public async Task<AgentVersion> VersionAsync(CancellationToken cancellationToken = default) =>
        RequestTranslation.ToDomain(await CallAsync(HealthService, "Version", new Wire.CheckRequest(), Wire.VersionCheckResponse.Parser, _options.CallTimeout, cancellationToken).ConfigureAwait(false));

    // ---- sandbox

    public Task CreateSandboxAsync(CreateSandboxRequest request, CancellationToken cancellationToken = default) =>
        CallAsync(AgentService, "CreateSandbox", RequestTranslation.ToWire(request), Empty.Parser, _options.CallTimeout, cancellationToken);

    public Task DestroySandboxAsync(CancellationToken cancellationToken = default) =>
        CallAsync(AgentService, "DestroySandbox", new Wire.DestroySandboxRequest(), Empty.Parser, _options.CallTimeout, cancellationToken);

    public Task SetGuestDateTimeAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        CallAsync(AgentService, "SetGuestDateTime", RequestTranslation.ToWire(now), Empty.Parser, _options.CallTimeout, cancellationToken);

    public Task CopyFileAsync(CopyFileRequest request, CancellationToken cancellationToken = default) =>
        CallAsync(AgentService, "CopyFile", RequestTranslation.ToWire(request), Empty.Parser, _options.CallTimeout, cancellationToken);

    public Task UpdateInterfaceAsync(GuestInterface wanted, CancellationToken cancellationToken = default) =>
        CallAsync(AgentService, "UpdateInterface", NetworkTranslation.ToWire(wanted), Sealpod.Protos.Kata.Types.Interface.Parser, _options.CallTimeout, cancellationToken);

    public Task UpdateRoutesAsync(IReadOnlyList<GuestRoute> routes, CancellationToken cancellationToken = default) =>
        CallAsync(AgentService, "UpdateRoutes", NetworkTranslation.ToWire(routes), Wire.Routes.Parser, _options.CallTimeout, cancellationToken);

    public Task AddArpNeighborsAsync(IReadOnlyList<GuestNeighbour> neighbours, CancellationToken cancellationToken = default) =>
        CallAsync(AgentService, "AddARPNeighbors", NetworkTranslation.ToWire(neighbours), Empty.Parser, _options.CallTimeout, cancellationToken);

    public async Task<string> GetOomEventAsync(CancellationToken cancellationToken = default) =>
        (await CallAsync(AgentService, "GetOOMEvent", new Wire.GetOOMEventRequest(), Wire.OOMEvent.Parser, null, cancellationToken).ConfigureAwait(false)).ContainerId;

    // ---- container

    public Task CreateContainerAsync(CreateContainerRequest request, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        CallAsync(AgentService, "CreateContainer", RequestTranslation.ToWire(request), Empty.Parser, timeout, cancellationToken);

    public Task StartContainerAsync(string containerId, CancellationToken cancellationToken = default) =>
        CallAsync(AgentService, "StartContainer", new Wire.StartContainerRequest { ContainerId = containerId }, Empty.Parser, _options.CallTimeout, cancellationToken);

    public Task RemoveContainerAsync(string containerId, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        CallAsync(AgentService, "RemoveContainer", new Wire.RemoveContainerRequest { ContainerId = containerId, Timeout = (uint)timeout.TotalSeconds }, Empty.Parser, timeout + TimeSpan.FromSeconds(5), cancellationToken);

    public Task PauseContainerAsync(string containerId, CancellationToken cancellationToken = default) =>
        CallAsync(AgentService, "PauseContainer", new Wire.PauseContainerRequest { ContainerId = containerId }, Empty.Parser, _options.CallTimeout, cancellationToken);

    public Task ResumeContainerAsync(string containerId, CancellationToken cancellationToken = default) =>
        CallAsync(AgentService, "ResumeContainer", new Wire.ResumeContainerRequest { ContainerId = containerId }, Empty.Parser, _options.CallTimeout, cancellationToken);

    public Task UpdateContainerAsync(string containerId, OciLinuxResources resources, CancellationToken cancellationToken = default) =>
        CallAsync(AgentService, "UpdateContainer", RequestTranslation.ToWire(containerId, resources), Empty.Parser, _options.CallTimeout, cancellationToken);

    public async Task<ContainerStats> StatsContainerAsync(string containerId, CancellationToken cancellationToken = default) =>
        StatsTranslation.ToDomain(await CallAsync(AgentService, "StatsContainer", new Wire.StatsContainerRequest { ContainerId = containerId }, Wire.StatsContainerResponse.Parser, _options.CallTimeout, cancellationToken).ConfigureAwait(false));

    // ---- process

    public Task ExecProcessAsync(string containerId, string execId, OciProcess process, CancellationToken cancellationToken = default) =>
        CallAsync(AgentService, "ExecProcess", RequestTranslation.ToWire(containerId, execId, process), Empty.Parser, _options.CallTimeout, cancellationToken);

    public Task SignalProcessAsync(string containerId, string execId, uint signal, CancellationToken cancellationToken = default) =>
        CallAsync(AgentService, "SignalProcess", new Wire.SignalProcessRequest { ContainerId = containerId, ExecId = execId, Signal = signal }, Empty.Parser, _options.CallTimeout, cancellationToken);

    public async Task<int> WaitProcessAsync(string containerId, string execId, CancellationToken cancellationToken = default) =>
        (await CallAsync(AgentService, "WaitProcess", new Wire.WaitProcessRequest { ContainerId = containerId, ExecId = execId }, Wire.WaitProcessResponse.Parser, null, cancellationToken).ConfigureAwait(false)).Status;

    // ---- io

    public async Task<int> WriteStdinAsync(string containerId, string execId, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        var request = new Wire.WriteStreamRequest { ContainerId = containerId, ExecId = execId, Data = UnsafeByteOperations.UnsafeWrap(data) };
        var response = await CallAsync(AgentService, "WriteStdin", request, Wire.WriteStreamResponse.Parser, null, cancellationToken).ConfigureAwait(false);
        return (int)response.Len;
    }

    public Task<ReadOnlyMemory<byte>> ReadStdoutAsync(string containerId, string execId, int maxLength, CancellationToken cancellationToken = default) =>
        ReadAsync("ReadStdout", containerId, execId, maxLength, cancellationToken);

    public Task<ReadOnlyMemory<byte>> ReadStderrAsync(string containerId, string execId, int maxLength, CancellationToken cancellationToken = default) =>
        ReadAsync("ReadStderr", containerId, execId, maxLength, cancellationToken);

    public Task CloseStdinAsync(string containerId, string execId, CancellationToken cancellationToken = default) =>
        CallAsync(AgentService, "CloseStdin", new Wire.CloseStdinRequest { ContainerId = containerId, ExecId = execId }, Empty.Parser, _options.CallTimeout, cancellationToken);

    public Task TtyWinResizeAsync(string containerId, string execId, uint rows, uint columns, CancellationToken cancellationToken = default) =>
        CallAsync(AgentService, "TtyWinResize", new Wire.TtyWinResizeRequest { ContainerId = containerId, ExecId = execId, Row = rows, Column = columns }, Empty.Parser, _options.CallTimeout, cancellationToken);

    private async Task<ReadOnlyMemory<byte>> ReadAsync(string method, string containerId, string execId, int maxLength, CancellationToken cancellationToken)
    {
        var request = new Wire.ReadStreamRequest { ContainerId = containerId, ExecId = execId, Len = (uint)maxLength };
        var response = await CallAsync(AgentService, method, request, Wire.ReadStreamResponse.Parser, null, cancellationToken).ConfigureAwait(false);
        return response.Data.Memory;
    }
}
