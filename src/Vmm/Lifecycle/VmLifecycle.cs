namespace Sealpod.Vmm.Lifecycle;

/// <summary>
/// The part of every driver that is about one hypervisor process rather than about a hypervisor: the state machine
/// (one VM, once), publishing a started VM, abandoning a failed start so nothing is left, tracking the process to its
/// exit and recording how it ended, stopping, and disposing. The driver supplies its session (what it holds while
/// the VM runs) and an <see cref="IVmSessionHandler{TSession}"/>.
/// </summary>
/// <typeparam name="TSession">The driver's running state, immutable once published.</typeparam>
internal sealed class VmLifecycle<TSession> : IVmLifecycle
    where TSession : class, IVmSession
{
    private readonly object _owner;
    private readonly string _hypervisor;
    private readonly IVmSessionHandler<TSession> _handler;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource<VmExitInfo> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Guarded by _gate: written once when start succeeds, read by everyone after.
    private HypervisorState _state = HypervisorState.Created;
    private VmProcess? _process;
    private TSession? _session;
    private IVmFiles? _files;
    private bool _createdDirectory;
    private Task _exitMonitor = Task.CompletedTask;

    /// <summary>Creates the lifecycle of one driver instance.</summary>
    /// <param name="owner">The driver, named in <see cref="ObjectDisposedException"/>s.</param>
    /// <param name="hypervisor">The hypervisor's name in messages and logs (<c>QEMU</c>, <c>Cloud Hypervisor</c>).</param>
    /// <param name="handler">How the driver stops its VM and releases what served it.</param>
    /// <param name="logger">Where start failures and exits are logged.</param>
    /// <param name="time">Clock for exit timestamps.</param>
    public VmLifecycle(object owner, string hypervisor, IVmSessionHandler<TSession> handler, ILogger logger, TimeProvider time)
    {
        _owner = owner;
        _hypervisor = hypervisor;
        _handler = handler;
        _logger = logger;
        _time = time;
    }

    /// <summary>Where the instance is in its lifecycle.</summary>
    public HypervisorState State => Read(() => _state);

    /// <summary>The hypervisor's pid once published.</summary>
    public int? Pid => Read(() => _process?.Pid);

    /// <summary>The driver's session once published; kept after the exit and the dispose.</summary>
    public TSession? Session => Read(() => _session);

    IVmSession? IVmLifecycle.Session => Session;

    /// <summary>Moves Created to Starting; an instance runs one VM once.</summary>
    public void BeginStart()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_state == HypervisorState.Disposed, _owner);
            if (_state != HypervisorState.Created)
            {
                throw new InvalidOperationException($"a {_hypervisor} driver instance runs one VM once; it is {_state}");
            }

            _state = HypervisorState.Starting;
        }
    }

    /// <summary>
    /// Makes a started VM the instance's: Running from now on, tracked to its exit. A start still in progress when the
    /// instance was disposed gets an <see cref="ObjectDisposedException"/> here and abandons what it made.
    /// </summary>
    public void Publish(VmLaunch launch, TSession session)
    {
        ArgumentNullException.ThrowIfNull(launch);
        var process = launch.Process ?? throw new InvalidOperationException("a launch is published only once its process runs");
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_state == HypervisorState.Disposed, _owner);
            _process = process;
            _session = session;
            _files = launch.Files;
            _createdDirectory = launch.CreatedDirectory;
            _state = HypervisorState.Running;
        }

        // Started after the state is Running, so an exit that already happened still moves it to Exited.
        var monitor = MonitorExitAsync(process, session);
        lock (_gate)
        {
            _exitMonitor = monitor;
        }
    }

    /// <summary>
    /// Removes what a failed start made and marks the instance Failed. Returns the error to throw: a
    /// <see cref="HypervisorStartException"/> with the hypervisor's exit code and output (logged), or null when
    /// <paramref name="error"/> is to be rethrown as it is (cancellation, configuration and argument errors, dispose).
    /// </summary>
    /// <param name="launch">What the start made.</param>
    /// <param name="sandboxId">The sandbox, for the log.</param>
    /// <param name="error">Why the start failed.</param>
    /// <param name="describe">The driver's wording for errors only it knows, or null for the common wording.</param>
    public async Task<HypervisorStartException?> AbandonStartAsync(VmLaunch launch, string sandboxId, Exception error, Func<Exception, string?>? describe = null)
    {
        ArgumentNullException.ThrowIfNull(launch);
        ArgumentNullException.ThrowIfNull(error);
        var (exitCode, output) = await launch.ReleaseAsync().ConfigureAwait(false);
        lock (_gate)
        {
            if (_state == HypervisorState.Starting)
            {
                _state = HypervisorState.Failed;
            }
        }

        _exit.TrySetException(new InvalidOperationException("the VM failed to start"));
        _exit.Task.Exception?.Handle(_ => true);
        if (error is OperationCanceledException or HypervisorConfigurationException or ArgumentException or ObjectDisposedException)
        {
            return null;
        }

        var message = describe?.Invoke(error) ?? error switch
        {
            HypervisorStartException => error.Message,
            InitDataException => $"Init-Data disk: {error.Message}",
            _ => $"{_hypervisor} did not start: {error.Message}",
        };
        var failure = new HypervisorStartException(message, exitCode, output, error);
        VmLifecycleLog.StartFailed(_logger, sandboxId, failure.Message);
        return failure;
    }

    /// <summary>The running VM's process and session; throws when the VM is not running.</summary>
    public (VmProcess Process, TSession Session) RequireRunning()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_state == HypervisorState.Disposed, _owner);
            if (_state != HypervisorState.Running || _process is null || _session is null)
            {
                throw new InvalidOperationException($"the VM is not running (state {_state})");
            }

            return (_process, _session);
        }
    }

    /// <summary>Completes when the hypervisor has exited and been reaped, however that happened.</summary>
    public Task<VmExitInfo> WaitForExitAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_state is HypervisorState.Created or HypervisorState.Starting)
            {
                throw new InvalidOperationException($"the VM has not been started (state {_state})");
            }
        }

        return _exit.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Stops the VM the driver's way and returns the recorded exit; on an exited VM, returns it at once. Cancellation
    /// skips straight to SIGKILL: whatever happens, the process is reaped before this returns.
    /// </summary>
    public async Task<VmExitInfo> StopAsync(TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(gracePeriod, TimeSpan.Zero);
        VmProcess? process = null;
        TSession? session = null;
        lock (_gate)
        {
            switch (_state)
            {
                case HypervisorState.Exited:
                    break;
                case HypervisorState.Running:
                case HypervisorState.Stopping:
                    _state = HypervisorState.Stopping;
                    process = _process!;
                    session = _session!;
                    break;
                case HypervisorState.Disposed:
                    throw new ObjectDisposedException(_owner.GetType().Name);
                default:
                    throw new InvalidOperationException($"cannot stop a VM that is {_state}");
            }
        }

        if (process is not null && session is not null)
        {
            try
            {
                await StopProcessAsync(process, session, gracePeriod, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                process.Kill();
                await _exit.Task.ConfigureAwait(false);
                throw;
            }
        }

        return await _exit.Task.ConfigureAwait(false);
    }

    // The driver's way first; what it leaves running is killed here, the same for every driver.
    private async Task StopProcessAsync(VmProcess process, TSession session, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        await _handler.StopAsync(process, session, gracePeriod, cancellationToken).ConfigureAwait(false);
        if (!process.HasExited)
        {
            VmLifecycleLog.ForcedStop(_logger, _hypervisor, process.Pid);
            process.Kill();
        }
    }

    /// <summary>Stops the VM if it still runs, waits for the reap, and removes the driver's files. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        VmProcess? process;
        TSession? session;
        IVmFiles? files;
        bool createdDirectory;
        lock (_gate)
        {
            if (_state == HypervisorState.Disposed)
            {
                return;
            }

            // A start still in progress sees Disposed when it publishes, and cleans up after itself.
            process = _process;
            session = _session;
            files = _files;
            createdDirectory = _createdDirectory;
            if (process is null)
            {
                _state = HypervisorState.Disposed;
            }
        }

        if (process is not null && session is not null)
        {
            if (!process.HasExited)
            {
                await StopProcessAsync(process, session, TimeSpan.Zero, CancellationToken.None).ConfigureAwait(false);
            }

            Task monitor;
            lock (_gate)
            {
                monitor = _exitMonitor;
            }

            await monitor.ConfigureAwait(false);
            await process.DisposeAsync().ConfigureAwait(false);
        }

        lock (_gate)
        {
            _state = HypervisorState.Disposed;
        }

        VmLaunch.RemoveFiles(files, createdDirectory);
        _exit.TrySetException(new ObjectDisposedException(_owner.GetType().Name));
        _exit.Task.Exception?.Handle(_ => true);
    }

    private async Task MonitorExitAsync(VmProcess process, TSession session)
    {
        try
        {
            var exitCode = await process.Exited.ConfigureAwait(false);
            var reason = await _handler.ReleaseAfterExitAsync(process, session, exitCode).ConfigureAwait(false);
            var info = new VmExitInfo(exitCode, reason, process.KillRequested, _time.GetUtcNow());
            lock (_gate)
            {
                if (_state is HypervisorState.Running or HypervisorState.Stopping)
                {
                    _state = HypervisorState.Exited;
                }
            }

            VmLifecycleLog.Exited(_logger, _hypervisor, process.Pid, exitCode, reason ?? "none", info.Killed);
            _exit.TrySetResult(info);
        }
        catch (Exception ex)
        {
            _exit.TrySetException(ex);
        }
    }

    private T Read<T>(Func<T> read)
    {
        lock (_gate)
        {
            return read();
        }
    }
}
