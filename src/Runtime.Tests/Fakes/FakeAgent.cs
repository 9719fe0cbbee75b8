using System.Threading.Channels;
using Sealpod.AgentClient.Model;

namespace Sealpod.Runtime.Tests.Fakes;

/// <summary>
/// A scripted stand-in for the agent in the VM, for tests of the sandbox layer's own logic (state machines,
/// event order, bookkeeping). The real agent needs a booted guest; the integration tests use that one.
/// Output streams end when the process is completed, like the real agent's pipes at exit.
/// </summary>
internal sealed class FakeAgent : IAgent
{
    private readonly ConcurrentDictionary<(string, string), ProcessSlot> _processes = new();

    public ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>Shared with a <see cref="FakeHypervisor"/> to see the order of calls across both.</summary>
    public ConcurrentQueue<string>? Journal { get; init; }

    /// <summary>Every CreateSandbox request, as sent.</summary>
    public ConcurrentQueue<CreateSandboxRequest> SandboxesCreated { get; } = new();

    /// <summary>Thrown by CreateSandbox, to test a guest that refuses the sandbox.</summary>
    public Exception? CreateSandboxFailure { get; init; }

    public ConcurrentQueue<CreateContainerRequest> Created { get; } = new();

    public ConcurrentQueue<CopyFileRequest> CopiedFiles { get; } = new();

    public ConcurrentQueue<(string ContainerId, string ExecId, OciProcess Process)> Executed { get; } = new();

    /// <summary>When set, StartContainer makes the process exit with this status before it returns.</summary>
    public int? ExitDuringStart { get; set; }

    public Channel<string> OomEvents { get; } = Channel.CreateUnbounded<string>();

    /// <summary>Completes once the agent "connection" is gone (the VM died): every pending call fails.</summary>
    public CancellationTokenSource Dead { get; } = new();

    public void CompleteProcess(string containerId, string execId, int status) => Slot(containerId, execId).Exit.TrySetResult(status);

    public void WriteStdout(string containerId, string execId, byte[] data) => Slot(containerId, execId).Stdout.Writer.TryWrite(data);

    public Task<AgentHealth> CheckAsync(TimeSpan timeout, CancellationToken cancellationToken) => Task.FromResult(AgentHealth.Serving);

    public Task<AgentVersion> VersionAsync(CancellationToken cancellationToken) => Task.FromResult(new AgentVersion("fake", "none"));

    public async Task CreateSandboxAsync(CreateSandboxRequest request, CancellationToken cancellationToken)
    {
        await Record($"CreateSandbox {request.SandboxId}");
        SandboxesCreated.Enqueue(request);
        if (CreateSandboxFailure is not null)
        {
            throw CreateSandboxFailure;
        }
    }

    public Task DestroySandboxAsync(CancellationToken cancellationToken) => Record("DestroySandbox");

    public Task SetGuestDateTimeAsync(DateTimeOffset now, CancellationToken cancellationToken) => Record("SetGuestDateTime");

    public Task UpdateInterfaceAsync(GuestInterface wanted, CancellationToken cancellationToken) => Record($"UpdateInterface {wanted.Name}");

    public Task UpdateRoutesAsync(IReadOnlyList<GuestRoute> routes, CancellationToken cancellationToken) => Record($"UpdateRoutes {routes.Count}");

    public Task AddArpNeighborsAsync(IReadOnlyList<GuestNeighbour> neighbours, CancellationToken cancellationToken) => Record($"AddARPNeighbors {neighbours.Count}");

    public Task CopyFileAsync(CopyFileRequest request, CancellationToken cancellationToken)
    {
        CopiedFiles.Enqueue(request);
        return Record($"CopyFile {request.Path}");
    }

    public async Task<string> GetOomEventAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, Dead.Token);
        return await OomEvents.Reader.ReadAsync(linked.Token);
    }

    public Task CreateContainerAsync(CreateContainerRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Created.Enqueue(request);
        Slot(request.ContainerId, request.ContainerId);
        return Record($"CreateContainer {request.ContainerId}");
    }

    public async Task StartContainerAsync(string containerId, CancellationToken cancellationToken)
    {
        await Record($"StartContainer {containerId}");
        if (ExitDuringStart is { } status)
        {
            CompleteProcess(containerId, containerId, status);

            // Give the exit every chance to overtake the start if the runtime did not order them.
            await Task.Delay(50, cancellationToken);
        }
    }

    public Task RemoveContainerAsync(string containerId, TimeSpan timeout, CancellationToken cancellationToken) => Record($"RemoveContainer {containerId}");

    public Task PauseContainerAsync(string containerId, CancellationToken cancellationToken) => Record($"PauseContainer {containerId}");

    public Task ResumeContainerAsync(string containerId, CancellationToken cancellationToken) => Record($"ResumeContainer {containerId}");

    public Task UpdateContainerAsync(string containerId, OciLinuxResources resources, CancellationToken cancellationToken) => Record($"UpdateContainer {containerId}");

    public Task<ContainerStats> StatsContainerAsync(string containerId, CancellationToken cancellationToken) =>
        Task.FromResult(new ContainerStats());

    public Task ExecProcessAsync(string containerId, string execId, OciProcess process, CancellationToken cancellationToken)
    {
        Executed.Enqueue((containerId, execId, process));
        Slot(containerId, execId);
        return Record($"ExecProcess {containerId} {execId}");
    }

    /// <summary>What the guest does on a signal (the real agent signals the process; here a test decides), after it is recorded.</summary>
    public Action<string, string, uint>? OnSignal { get; set; }

    public async Task SignalProcessAsync(string containerId, string execId, uint signal, CancellationToken cancellationToken)
    {
        await Record($"SignalProcess {containerId} '{execId}' {signal}");
        OnSignal?.Invoke(containerId, execId, signal);
    }

    public async Task<int> WaitProcessAsync(string containerId, string execId, CancellationToken cancellationToken)
    {
        var exit = Slot(containerId, execId).Exit.Task;
        var dead = Task.Delay(Timeout.Infinite, Dead.Token);
        if (await Task.WhenAny(exit, dead) != exit)
        {
            throw new IOException("agent connection closed");
        }

        return await exit;
    }

    public Task<int> WriteStdinAsync(string containerId, string execId, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        Task.FromResult(data.Length);

    public Task<ReadOnlyMemory<byte>> ReadStdoutAsync(string containerId, string execId, int maxLength, CancellationToken cancellationToken) =>
        ReadAsync(Slot(containerId, execId), cancellationToken);

    public Task<ReadOnlyMemory<byte>> ReadStderrAsync(string containerId, string execId, int maxLength, CancellationToken cancellationToken) =>
        ReadAsync(Slot(containerId, execId), cancellationToken, stderr: true);

    public Task CloseStdinAsync(string containerId, string execId, CancellationToken cancellationToken) => Record($"CloseStdin {containerId} {execId}");

    public Task TtyWinResizeAsync(string containerId, string execId, uint rows, uint columns, CancellationToken cancellationToken) =>
        Record($"TtyWinResize {containerId} {execId} {rows}x{columns}");

    /// <summary>Makes <see cref="DisposeAsync"/> fail (after cutting the connection, as a real failing close would).</summary>
    public Exception? DisposeError { get; set; }

    public ValueTask DisposeAsync()
    {
        Journal?.Enqueue("agent Dispose");
        Dead.Cancel();
        return DisposeError is null ? ValueTask.CompletedTask : ValueTask.FromException(DisposeError);
    }

    private async Task<ReadOnlyMemory<byte>> ReadAsync(ProcessSlot slot, CancellationToken cancellationToken, bool stderr = false)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, Dead.Token);
        if (!stderr && slot.Stdout.Reader.TryRead(out var ready))
        {
            return ready;
        }

        var exit = slot.Exit.Task;
        var data = stderr ? Task.Delay(Timeout.Infinite, linked.Token).ContinueWith(_ => Array.Empty<byte>(), TaskScheduler.Default) : slot.Stdout.Reader.ReadAsync(linked.Token).AsTask();
        var first = await Task.WhenAny(exit, data);
        if (first == data && data.IsCompletedSuccessfully)
        {
            return data.Result;
        }

        linked.Token.ThrowIfCancellationRequested();
        return ReadOnlyMemory<byte>.Empty; // the process exited: its pipes are at end-of-file
    }

    private ProcessSlot Slot(string containerId, string execId) => _processes.GetOrAdd((containerId, execId), _ => new ProcessSlot());

    private Task Record(string call)
    {
        if (Dead.IsCancellationRequested)
        {
            throw new IOException($"{call}: agent connection closed");
        }

        Calls.Enqueue(call);
        Journal?.Enqueue("agent " + call);
        return Task.CompletedTask;
    }

    private sealed class ProcessSlot
    {
        public TaskCompletionSource<int> Exit { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Channel<byte[]> Stdout { get; } = Channel.CreateUnbounded<byte[]>();
    }
}
