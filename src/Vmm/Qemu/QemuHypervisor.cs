using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sealpod.Config;
using Sealpod.Vmm.Acceleration;
using Sealpod.Vmm.Qemu.Qmp;

namespace Sealpod.Vmm.Qemu;

/// <summary>
/// The QEMU driver: one instance runs one sandbox VM. It renders the command line from the
/// configuration, starts QEMU without a shell, controls it over QMP, and tracks the process to
/// its exit. Partial files by concern: start-up, stop, devices, logging.
/// </summary>
public sealed partial class QemuHypervisor : IHypervisor
{
    private readonly QemuConfig _config;
    private readonly AcceleratorProbe _probe;
    private readonly QemuHypervisorOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource<VmExitInfo> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, BlockDeviceAttachment> _attachments = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _deviceLock = new(1, 1);

    // Guarded by _gate: written once when start succeeds, read by everyone after.
    private HypervisorState _state = HypervisorState.Created;
    private QemuProcess? _process;
    private QmpClient? _qmp;
    private QemuVmFiles? _files;
    private QemuDeviceLayout? _layout;
    private AgentEndpoint? _agentEndpoint;
    private AcceleratorDecision? _accelerator;
    private bool _createdDirectory;
    private Task _exitMonitor = Task.CompletedTask;

    /// <summary>Creates the driver for one VM.</summary>
    /// <param name="config">The <c>[hypervisor.qemu]</c> section, annotations applied.</param>
    /// <param name="probe">Decides KVM or TCG.</param>
    /// <param name="options">Timeouts and host facts; defaults when null.</param>
    /// <param name="logger">Where lifecycle events go.</param>
    public QemuHypervisor(QemuConfig config, AcceleratorProbe probe, QemuHypervisorOptions? options = null, ILogger<QemuHypervisor>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(probe);
        _config = config;
        _probe = probe;
        _options = options ?? new QemuHypervisorOptions();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public string Name => "qemu";

    /// <inheritdoc />
    public HypervisorState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <inheritdoc />
    public int? Pid => Snapshot(() => _process?.Pid);

    /// <inheritdoc />
    public string? ConsoleLogPath => Snapshot(() => _files?.ConsoleLog);

    /// <inheritdoc />
    public string? HypervisorLogPath => Snapshot(() => _files?.HypervisorLog);

    /// <inheritdoc />
    public AgentEndpoint? AgentEndpoint => Snapshot(() => _agentEndpoint);

    /// <inheritdoc />
    public AcceleratorDecision? Accelerator => Snapshot(() => _accelerator);

    /// <inheritdoc />
    public IReadOnlyCollection<BlockDeviceAttachment> BlockDevices => _attachments.Values.ToArray();

    /// <inheritdoc />
    public HypervisorCapabilities Capabilities => HypervisorCapabilities.PauseResume | HypervisorCapabilities.BlockDeviceHotplug;

    /// <summary>The QMP connection of the running VM, for operations the interface does not cover (TEE measurement, secret injection).</summary>
    public QmpClient Qmp => RequireRunning().Qmp;

    /// <inheritdoc />
    public Task<VmExitInfo> WaitForExitAsync(CancellationToken cancellationToken = default)
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

    /// <summary>Stops the VM if it still runs (quit, then kill), waits for the reap, and removes the VM's files.</summary>
    public async ValueTask DisposeAsync()
    {
        QemuProcess? process;
        QmpClient? qmp;
        QemuVmFiles? files;
        bool createdDirectory;
        lock (_gate)
        {
            if (_state == HypervisorState.Disposed)
            {
                return;
            }

            // A start still in progress sees Disposed when it publishes, and cleans up after itself.
            process = _process;
            qmp = _qmp;
            files = _files;
            createdDirectory = _createdDirectory;
            if (process is null)
            {
                _state = HypervisorState.Disposed;
            }
        }

        if (process is not null && qmp is not null)
        {
            if (!process.HasExited)
            {
                await StopCoreAsync(process, qmp, TimeSpan.Zero, CancellationToken.None).ConfigureAwait(false);
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

        if (files is not null)
        {
            files.DeleteAll();
            if (createdDirectory)
            {
                TryDeleteDirectory(files.Directory);
            }
        }

        _exit.TrySetException(new ObjectDisposedException(nameof(QemuHypervisor)));
        _exit.Task.Exception?.Handle(_ => true);
    }

    private (QemuProcess Process, QmpClient Qmp, QemuDeviceLayout Layout) RequireRunning()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_state == HypervisorState.Disposed, this);
            if (_state != HypervisorState.Running || _process is null || _qmp is null || _layout is null)
            {
                throw new InvalidOperationException($"the VM is not running (state {_state})");
            }

            return (_process, _qmp, _layout);
        }
    }

    private T Snapshot<T>(Func<T> read)
    {
        lock (_gate)
        {
            return read();
        }
    }

    private async Task RunCommandAsync(string what, Func<CancellationToken, Task> command, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.CommandTimeout);
        try
        {
            await command(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"QMP {what} did not answer within {_options.CommandTimeout.TotalSeconds:0.#} s");
        }
    }

    private static void TryDeleteDirectory(string directory)
    {
        try
        {
            // Not recursive: only what the driver made goes; anything else someone put there stays.
            Directory.Delete(directory, recursive: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }
}
