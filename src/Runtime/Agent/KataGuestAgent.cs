using Sealpod.AgentClient;
using Sealpod.Protos.Kata.Agent;

namespace Sealpod.Runtime.Agent;

/// <summary>The agent in the VM, over <see cref="KataAgentClient"/>.</summary>
public sealed class KataGuestAgent(KataAgentClient client) : IGuestAgent
{
    private readonly KataAgentClient _client = client ?? throw new ArgumentNullException(nameof(client));

    public Task CreateSandboxAsync(CreateSandboxRequest request, CancellationToken cancellationToken) =>
        _client.CreateSandboxAsync(request, cancellationToken);

    public Task DestroySandboxAsync(CancellationToken cancellationToken) => _client.DestroySandboxAsync(cancellationToken);

    public Task CopyFileAsync(CopyFileRequest request, CancellationToken cancellationToken) => _client.CopyFileAsync(request, cancellationToken);

    public async Task<string> GetOomEventAsync(CancellationToken cancellationToken) =>
        (await _client.GetOomEventAsync(cancellationToken).ConfigureAwait(false)).ContainerId;

    public Task CreateContainerAsync(CreateContainerRequest request, TimeSpan timeout, CancellationToken cancellationToken) =>
        _client.CreateContainerAsync(request, timeout, cancellationToken);

    public Task StartContainerAsync(string containerId, CancellationToken cancellationToken) =>
        _client.StartContainerAsync(containerId, cancellationToken);

    public Task RemoveContainerAsync(string containerId, TimeSpan timeout, CancellationToken cancellationToken) =>
        _client.RemoveContainerAsync(containerId, timeout, cancellationToken);

    public Task PauseContainerAsync(string containerId, CancellationToken cancellationToken) =>
        _client.PauseContainerAsync(containerId, cancellationToken);

    public Task ResumeContainerAsync(string containerId, CancellationToken cancellationToken) =>
        _client.ResumeContainerAsync(containerId, cancellationToken);

    public Task UpdateContainerAsync(UpdateContainerRequest request, CancellationToken cancellationToken) =>
        _client.UpdateContainerAsync(request, cancellationToken);

    public Task<StatsContainerResponse> StatsContainerAsync(string containerId, CancellationToken cancellationToken) =>
        _client.StatsContainerAsync(containerId, cancellationToken);

    public Task ExecProcessAsync(ExecProcessRequest request, CancellationToken cancellationToken) =>
        _client.ExecProcessAsync(request, cancellationToken);

    public Task SignalProcessAsync(string containerId, string execId, uint signal, CancellationToken cancellationToken) =>
        _client.SignalProcessAsync(containerId, execId, signal, cancellationToken);

    public Task<int> WaitProcessAsync(string containerId, string execId, CancellationToken cancellationToken) =>
        _client.WaitProcessAsync(containerId, execId, cancellationToken);

    public Task<int> WriteStdinAsync(string containerId, string execId, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        _client.WriteStdinAsync(containerId, execId, data, cancellationToken);

    public async Task<ReadOnlyMemory<byte>> ReadStdoutAsync(string containerId, string execId, int maxLength, CancellationToken cancellationToken) =>
        (await _client.ReadStdoutAsync(containerId, execId, maxLength, cancellationToken).ConfigureAwait(false)).Memory;

    public async Task<ReadOnlyMemory<byte>> ReadStderrAsync(string containerId, string execId, int maxLength, CancellationToken cancellationToken) =>
        (await _client.ReadStderrAsync(containerId, execId, maxLength, cancellationToken).ConfigureAwait(false)).Memory;

    public Task CloseStdinAsync(string containerId, string execId, CancellationToken cancellationToken) =>
        _client.CloseStdinAsync(containerId, execId, cancellationToken);

    public Task TtyWinResizeAsync(string containerId, string execId, uint rows, uint columns, CancellationToken cancellationToken) =>
        _client.TtyWinResizeAsync(containerId, execId, rows, columns, cancellationToken);

    public ValueTask DisposeAsync() => _client.DisposeAsync();
}
