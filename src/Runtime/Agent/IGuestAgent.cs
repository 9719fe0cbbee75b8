using Sealpod.Protos.Kata.Agent;

namespace Sealpod.Runtime.Agent;

/// <summary>
/// The agent calls the sandbox layer makes, grouped as runtime-rs groups them. <see cref="KataGuestAgent"/> is
/// the real one (ttrpc to the agent in the VM); tests that cannot boot a VM substitute their own.
/// Requests are the agent's protobuf messages: the translation to them lives in Translation/.
/// </summary>
public interface IGuestAgent : IAsyncDisposable
{
    // sandbox
    Task CreateSandboxAsync(CreateSandboxRequest request, CancellationToken cancellationToken);

    Task DestroySandboxAsync(CancellationToken cancellationToken);

    Task CopyFileAsync(CopyFileRequest request, CancellationToken cancellationToken);

    /// <summary>Long poll: the id of the next container that hit OOM.</summary>
    Task<string> GetOomEventAsync(CancellationToken cancellationToken);

    // container
    Task CreateContainerAsync(CreateContainerRequest request, TimeSpan timeout, CancellationToken cancellationToken);

    Task StartContainerAsync(string containerId, CancellationToken cancellationToken);

    Task RemoveContainerAsync(string containerId, TimeSpan timeout, CancellationToken cancellationToken);

    Task PauseContainerAsync(string containerId, CancellationToken cancellationToken);

    Task ResumeContainerAsync(string containerId, CancellationToken cancellationToken);

    Task UpdateContainerAsync(UpdateContainerRequest request, CancellationToken cancellationToken);

    Task<StatsContainerResponse> StatsContainerAsync(string containerId, CancellationToken cancellationToken);

    // process
    Task ExecProcessAsync(ExecProcessRequest request, CancellationToken cancellationToken);

    Task SignalProcessAsync(string containerId, string execId, uint signal, CancellationToken cancellationToken);

    /// <summary>Long poll: the exit status (code, or 128+signal).</summary>
    Task<int> WaitProcessAsync(string containerId, string execId, CancellationToken cancellationToken);

    // io
    Task<int> WriteStdinAsync(string containerId, string execId, ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    Task<ReadOnlyMemory<byte>> ReadStdoutAsync(string containerId, string execId, int maxLength, CancellationToken cancellationToken);

    Task<ReadOnlyMemory<byte>> ReadStderrAsync(string containerId, string execId, int maxLength, CancellationToken cancellationToken);

    Task CloseStdinAsync(string containerId, string execId, CancellationToken cancellationToken);

    Task TtyWinResizeAsync(string containerId, string execId, uint rows, uint columns, CancellationToken cancellationToken);
}
