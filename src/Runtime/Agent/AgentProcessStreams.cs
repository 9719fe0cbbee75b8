namespace Sealpod.Runtime.Agent;

/// <summary>One process's streams on the agent: the stream calls bound to its container and exec id.</summary>
internal sealed class AgentProcessStreams(IAgent agent, string containerId, string execId) : IProcessStreams
{
    public Task<ReadOnlyMemory<byte>> ReadStdoutAsync(int maxLength, CancellationToken cancellationToken) =>
        agent.ReadStdoutAsync(containerId, execId, maxLength, cancellationToken);

    public Task<ReadOnlyMemory<byte>> ReadStderrAsync(int maxLength, CancellationToken cancellationToken) =>
        agent.ReadStderrAsync(containerId, execId, maxLength, cancellationToken);

    public Task<int> WriteStdinAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        agent.WriteStdinAsync(containerId, execId, data, cancellationToken);

    public Task CloseStdinAsync(CancellationToken cancellationToken) =>
        agent.CloseStdinAsync(containerId, execId, cancellationToken);
}
