using System.Collections.Concurrent;

namespace Sealpod.Runtime.Sandboxes;

/// <summary>
/// A container of a sandbox: its bundle and rootfs on the host, its init process and exec processes in the
/// guest. Lookups that miss are <see cref="NotFoundException"/>; the sandbox does the guest-side teardown.
/// </summary>
public sealed class Container
{
    private readonly ConcurrentDictionary<string, ExecProcess> _execs = new(StringComparer.Ordinal);
    private readonly ProcessContext _context;

    internal Container(ProcessContext context, string id, OciBundle bundle, ContainerKind kind, ContainerRootfs rootfs, IReadOnlyList<RootfsMount> rootfsMounts, StdioForwarder io)
    {
        _context = context;
        Id = id;
        Bundle = bundle;
        Kind = kind;
        Rootfs = rootfs;
        RootfsMounts = rootfsMounts;
        Init = new InitProcess(context, id, io, WaitForExecExitsAsync);
    }

    public string Id { get; }

    public OciBundle Bundle { get; }

    public ContainerKind Kind { get; }

    public ContainerRootfs Rootfs { get; }

    /// <summary>containerd's mounts as it sent them (for the TaskCreate event).</summary>
    public IReadOnlyList<RootfsMount> RootfsMounts { get; }

    public InitProcess Init { get; }

    public IEnumerable<ExecProcess> Execs => _execs.Values;

    /// <summary>The init process for an empty <paramref name="execId"/>, else that exec process.</summary>
    public GuestProcess GetProcess(string execId) =>
        string.IsNullOrEmpty(execId) ? Init : GetExec(execId);

    public ExecProcess GetExec(string execId) =>
        _execs.TryGetValue(execId, out var exec) && exec.Status != ProcessStatus.Deleted
            ? exec
            : throw new NotFoundException($"exec {execId} not found in container {Id}");

    /// <summary>Registers an exec process and opens its streams; the guest starts it on its StartAsync.</summary>
    public async Task<ExecProcess> AddExecAsync(string execId, OciProcess spec, ProcessIoPaths io, CancellationToken cancellationToken)
    {
        Identifiers.ValidateContainerId(execId, "exec id");
        ArgumentNullException.ThrowIfNull(spec);
        if (Init.Status is not (ProcessStatus.Running or ProcessStatus.Paused))
        {
            throw new FailedPreconditionException($"cannot exec in container {Id}: it is {Init.Status.ToString().ToLowerInvariant()}");
        }

        if (_execs.TryGetValue(execId, out var existing) && existing.Status != ProcessStatus.Deleted)
        {
            throw new AlreadyExistsException($"exec {execId} already exists in container {Id}");
        }

        spec = spec with { Terminal = io.Terminal };
        var forwarder = await StdioForwarder.OpenAsync(_context.Poller, io, $"{Id}/{execId}", (execId, _context.Namespace), _context.Logger, cancellationToken).ConfigureAwait(false);
        var exec = new ExecProcess(_context, Id, execId, spec, forwarder, () => Init.Status == ProcessStatus.Running);
        // Opening the streams may have waited for a logger: the id may have been taken meanwhile.
        if (_execs.TryGetValue(execId, out existing) && existing.Status != ProcessStatus.Deleted)
        {
            await forwarder.DisposeAsync().ConfigureAwait(false);
            throw new AlreadyExistsException($"exec {execId} already exists in container {Id}");
        }

        _execs[execId] = exec;
        return exec;
    }

    /// <summary>Deletes an exited (or never started) exec process and closes its streams.</summary>
    public async Task<ExitResult> DeleteExecAsync(string execId, CancellationToken cancellationToken)
    {
        var exec = GetExec(execId);
        var result = await exec.DeleteAsync(cancellationToken).ConfigureAwait(false);
        await exec.Io.DisposeAsync().ConfigureAwait(false);
        _execs.TryRemove(new KeyValuePair<string, ExecProcess>(execId, exec));
        return result;
    }

    /// <summary>Every process of the container, init first.</summary>
    internal IEnumerable<GuestProcess> Processes => new GuestProcess[] { Init }.Concat(_execs.Values);

    // The init exit is reported after its exec processes' exits; those never started have none to wait for.
    private Task WaitForExecExitsAsync() =>
        Task.WhenAll(_execs.Values.Where(e => e.Status is not (ProcessStatus.Created or ProcessStatus.Deleted)).Select(e => e.Exited));
}
