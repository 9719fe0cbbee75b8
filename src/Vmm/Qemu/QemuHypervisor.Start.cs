using System.Net.Sockets;
using Sealpod.Vmm.Acceleration;
using Sealpod.Vmm.Qemu.Qmp;

namespace Sealpod.Vmm.Qemu;

public sealed partial class QemuHypervisor
{
    // A random vsock CID can collide with another VM's; QEMU then exits at once and we try another.
    private const int MaxLaunchAttempts = 3;
    private const uint FirstGuestCid = 3;

    /// <inheritdoc />
    public async Task StartAsync(VmSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_state == HypervisorState.Disposed, this);
            if (_state != HypervisorState.Created)
            {
                throw new InvalidOperationException($"a QEMU driver instance runs one VM once; it is {_state}");
            }

            _state = HypervisorState.Starting;
        }

        QemuProcess? process = null;
        QmpClient? qmp = null;
        QemuVmFiles? files = null;
        var createdDirectory = false;
        try
        {
            spec.Validate();
            files = new QemuVmFiles(spec.RuntimeDirectory);
            files.ValidateSocketPaths();
            createdDirectory = !Directory.Exists(files.Directory);
            CreatePrivateDirectory(files.Directory);
            files.DeleteAll();

            var accelerator = await _probe.DecideAsync(
                new AcceleratorProbeRequest { KernelPath = _config.Kernel.Length > 0 ? _config.Kernel : null },
                cancellationToken).ConfigureAwait(false);
            var host = _options.Host ?? HostResources.Detect();

            for (var attempt = 1; ; attempt++)
            {
                var endpoint = ChooseAgentEndpoint(spec.AgentTransport, files);
                var plan = QemuCommandLineFactory.Plan(new QemuLaunchRequest
                {
                    Config = _config,
                    Spec = spec,
                    Accelerator = accelerator.Accelerator,
                    Files = files,
                    AgentEndpoint = endpoint,
                    Host = host,
                });
                var argv = plan.CommandLine.Build();
                LogLaunching(_logger, spec.SandboxId, accelerator.Accelerator == Acceleration.Accelerator.Kvm ? "KVM" : "TCG", accelerator.Reason, _config.Path, FormatArgv(argv));
                process = QemuProcess.Start(_config.Path, argv, files.Directory, files.HypervisorLog, _logger);
                try
                {
                    qmp = await ConnectAsync(process, files.QmpSocket, cancellationToken).ConfigureAwait(false);
                }
                catch (HypervisorStartException) when (endpoint is VsockAgentEndpoint && attempt < MaxLaunchAttempts
                    && process.HasExited && process.ReadLogTail().Contains("guest cid", StringComparison.OrdinalIgnoreCase))
                {
                    LogCidInUse(_logger, ((VsockAgentEndpoint)endpoint).Cid);
                    await process.DisposeAsync().ConfigureAwait(false);
                    process = null;
                    files.DeleteAll();
                    continue;
                }

                Publish(process, qmp, files, plan.Layout, endpoint, accelerator, createdDirectory);
                LogStarted(_logger, spec.SandboxId, process.Pid, qmp.Greeting.Version.ToString());
                return;
            }
        }
        catch (Exception ex)
        {
            var (exitCode, output) = await AbandonStartAsync(process, qmp, files, createdDirectory).ConfigureAwait(false);
            if (ex is OperationCanceledException or HypervisorConfigurationException or ArgumentException or ObjectDisposedException)
            {
                throw;
            }

            var message = ex is HypervisorStartException ? ex.Message : $"QEMU did not start: {ex.Message}";
            var error = new HypervisorStartException(message, exitCode, output, ex);
            LogStartFailed(_logger, spec.SandboxId, error.Message);
            throw error;
        }
    }

    private void Publish(
        QemuProcess process, QmpClient qmp, QemuVmFiles files, QemuDeviceLayout layout,
        AgentEndpoint endpoint, AcceleratorDecision accelerator, bool createdDirectory)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_state == HypervisorState.Disposed, this);
            _process = process;
            _qmp = qmp;
            _files = files;
            _layout = layout;
            _agentEndpoint = endpoint;
            _accelerator = accelerator;
            _createdDirectory = createdDirectory;
            foreach (var placement in layout.Placements)
            {
                _attachments[placement.Device.Id] = new BlockDeviceAttachment(placement.Device, placement.Driver, placement.GuestAddress, Hotplugged: false);
            }

            _state = HypervisorState.Running;
        }

        // Started after the state is Running, so an exit that already happened still moves it to Exited.
        var events = PumpEventsAsync(qmp);
        var monitor = MonitorExitAsync(process, qmp, files, events);
        lock (_gate)
        {
            _exitMonitor = monitor;
        }
    }

    private async Task<(int? ExitCode, string Output)> AbandonStartAsync(QemuProcess? process, QmpClient? qmp, QemuVmFiles? files, bool createdDirectory)
    {
        int? exitCode = null;
        var output = string.Empty;
        if (qmp is not null)
        {
            await qmp.DisposeAsync().ConfigureAwait(false);
        }

        if (process is not null)
        {
            process.Kill();
            exitCode = await process.Exited.ConfigureAwait(false);
            output = process.ReadLogTail();
            await process.DisposeAsync().ConfigureAwait(false);
        }

        if (files is not null)
        {
            files.DeleteAll();
            if (createdDirectory)
            {
                TryDeleteDirectory(files.Directory);
            }
        }

        lock (_gate)
        {
            if (_state == HypervisorState.Starting)
            {
                _state = HypervisorState.Failed;
            }
        }

        _exit.TrySetException(new InvalidOperationException("the VM failed to start"));
        _exit.Task.Exception?.Handle(_ => true);
        return (exitCode, output);
    }

    /// <summary>
    /// Waits for QMP to answer. QEMU creates the socket before it loads the kernel, and greets
    /// only from its main loop, so a greeting means the machine was built; an exit or EOF before
    /// that is a start failure whose reason is in QEMU's stderr.
    /// </summary>
    private async Task<QmpClient> ConnectAsync(QemuProcess process, string socketPath, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.StartTimeout);
        var delay = TimeSpan.FromMilliseconds(5);
        try
        {
            while (true)
            {
                if (process.HasExited)
                {
                    throw new HypervisorStartException("QEMU exited during start-up");
                }

                if (File.Exists(socketPath))
                {
                    try
                    {
                        return await QmpClient.ConnectAsync(socketPath, _logger, timeout.Token).ConfigureAwait(false);
                    }
                    catch (SocketException)
                    {
                        // The file exists but QEMU is not listening yet, or has just stopped.
                    }
                    catch (QmpConnectionClosedException)
                    {
                        // QEMU accepted, then went away before greeting: it is exiting. Let the loop see the exit.
                    }
                }

                await Task.WhenAny(process.Exited, Task.Delay(delay, timeout.Token)).ConfigureAwait(false);
                timeout.Token.ThrowIfCancellationRequested();
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromMilliseconds(100).Ticks));
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HypervisorStartException($"QEMU's QMP socket did not answer within {_options.StartTimeout.TotalSeconds:0.#} s");
        }
    }

    private AgentEndpoint ChooseAgentEndpoint(AgentTransport transport, QemuVmFiles files)
    {
        var useVsock = transport switch
        {
            AgentTransport.Vsock => true,
            AgentTransport.VirtioSerial => false,
            _ => File.Exists(_options.VhostVsockDevicePath),
        };
        if (!useVsock)
        {
            return new VirtioSerialAgentEndpoint(files.AgentSocket, VirtioSerialAgentEndpoint.DefaultPortName);
        }

        // CIDs 0-2 are reserved (hypervisor, local, host); the top value is VMADDR_CID_ANY.
        var cid = (uint)Random.Shared.NextInt64(FirstGuestCid, uint.MaxValue);
        return new VsockAgentEndpoint(cid, VsockAgentEndpoint.DefaultPort);
    }

    private async Task PumpEventsAsync(QmpClient qmp)
    {
        try
        {
            await foreach (var qmpEvent in qmp.Events.ReadAllAsync().ConfigureAwait(false))
            {
                OnEvent(qmpEvent);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogEventPumpFailed(_logger, ex.Message);
        }
    }

    private async Task MonitorExitAsync(QemuProcess process, QmpClient qmp, QemuVmFiles files, Task events)
    {
        try
        {
            var exitCode = await process.Exited.ConfigureAwait(false);

            // Normally QEMU's exit already closed the socket; disposing makes sure nothing still waits.
            await qmp.DisposeAsync().ConfigureAwait(false);
            await events.ConfigureAwait(false);
            files.DeleteRuntimeFiles();
            FailPendingUnplugs();
            var info = new VmExitInfo(exitCode, _shutdownReason, process.KillRequested, _options.TimeProvider.GetUtcNow());
            lock (_gate)
            {
                if (_state is HypervisorState.Running or HypervisorState.Stopping)
                {
                    _state = HypervisorState.Exited;
                }
            }

            LogExited(_logger, process.Pid, exitCode, info.ShutdownReason ?? "none", info.Killed);
            _exit.TrySetResult(info);
        }
        catch (Exception ex)
        {
            _exit.TrySetException(ex);
        }
    }

    // Sockets in here accept control connections to the VM: owner only.
    private static void CreatePrivateDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("the QEMU driver runs on Linux only");
        }

        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static string FormatArgv(IReadOnlyList<string> argv) =>
        string.Join(' ', argv.Select(a => a.Length == 0 || a.Any(char.IsWhiteSpace) ? "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'" : a));
}
