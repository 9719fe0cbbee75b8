namespace Sealpod.Agent.Containers;

/// <summary>
/// One container: its bundle, cgroup, storages, init process and exec'd processes, and its state.
/// Lifecycle operations are serialised by <see cref="Lifecycle"/>; the state only moves along the
/// edges of <see cref="Transition"/>.
/// </summary>
internal sealed class Container(string id, string bundle, string cgroupPath, OciSpec spec, ContainerProcess init, IReadOnlyList<MountedStorage> storages)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ContainerProcess> _execs = new(StringComparer.Ordinal);
    private ContainerState _state = ContainerState.Created;

    public string Id { get; } = id;

    public string Bundle { get; } = bundle;

    /// <summary>The cgroup, absolute within the hierarchy (<c>/sealpod/&lt;id&gt;</c>).</summary>
    public string CgroupPath { get; } = cgroupPath;

    public OciSpec Spec { get; } = spec;

    public ContainerProcess Init { get; } = init;

    public IReadOnlyList<MountedStorage> Storages { get; } = storages;

    /// <summary>Serialises start, exec, pause, resume, update and remove.</summary>
    public SemaphoreSlim Lifecycle { get; } = new(1, 1);

    /// <summary>The state; Stopped as soon as the init's exit is known, whoever observes it first.</summary>
    public ContainerState State
    {
        get
        {
            lock (_gate)
            {
                return Init.HasExited ? ContainerState.Stopped : _state;
            }
        }
    }

    /// <summary>Moves to <paramref name="next"/>; anything but a legal edge is a FailedPrecondition.</summary>
    public void Transition(ContainerState next)
    {
        lock (_gate)
        {
            var current = Init.HasExited ? ContainerState.Stopped : _state;
            var legal = (current, next) switch
            {
                (ContainerState.Created, ContainerState.Running) => true,
                (ContainerState.Running, ContainerState.Paused) => true,
                (ContainerState.Paused, ContainerState.Running) => true,
                (not ContainerState.Stopped, ContainerState.Stopped) => true,
                _ => false,
            };
            if (!legal)
            {
                throw new FailedPreconditionException($"container {Id} is {Describe(current)}, cannot become {Describe(next)}");
            }

            _state = next;
        }
    }

    /// <summary>Throws unless the container is in one of <paramref name="allowed"/>.</summary>
    public void Require(string operation, params ContainerState[] allowed)
    {
        var state = State;
        if (!allowed.Contains(state))
        {
            throw new FailedPreconditionException($"cannot {operation} container {Id}: it is {Describe(state)}");
        }
    }

    /// <summary>The init process for "" or the init's exec id, else the exec process.</summary>
    public ContainerProcess FindProcess(string execId)
    {
        if (string.IsNullOrEmpty(execId) || execId == Init.ExecId || execId == Id)
        {
            return Init;
        }

        lock (_gate)
        {
            return _execs.TryGetValue(execId, out var process)
                ? process
                : throw new NotFoundException($"process {execId} not found in container {Id}");
        }
    }

    /// <summary>Whether <paramref name="execId"/> names the init or a known exec process.</summary>
    public bool HasProcess(string execId)
    {
        lock (_gate)
        {
            return execId == Init.ExecId || execId == Id || _execs.ContainsKey(execId);
        }
    }

    public void AddExec(ContainerProcess process)
    {
        lock (_gate)
        {
            if (process.ExecId == Init.ExecId || process.ExecId == Id || !_execs.TryAdd(process.ExecId, process))
            {
                throw new AlreadyExistsException($"process {process.ExecId} already exists in container {Id}");
            }
        }
    }

    public bool RemoveExec(ContainerProcess process)
    {
        lock (_gate)
        {
            return _execs.TryGetValue(process.ExecId, out var current) && ReferenceEquals(current, process) && _execs.Remove(process.ExecId);
        }
    }

    public IReadOnlyList<ContainerProcess> Execs()
    {
        lock (_gate)
        {
            return [.. _execs.Values];
        }
    }

    private static string Describe(ContainerState state) => state.ToString().ToLowerInvariant();
}
