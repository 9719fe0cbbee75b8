using System.Net.Sockets;
using Sealpod.Tee;
using Sealpod.Tee.Host;
using Sealpod.Tee.InitData;
using Sealpod.Tee.Launch;
using Sealpod.Tee.PreAttestation;
using Sealpod.Vmm.Acceleration;
using Sealpod.Vmm.Qemu.Qmp;

namespace Sealpod.Vmm.Qemu;

public sealed partial class QemuHypervisor
{
    // A random vsock CID can collide with another VM's; QEMU then exits at once and we try another.
    private const int MaxLaunchAttempts = 3;
    private const uint FirstGuestCid = 3;

    /// <summary>The block device id (and serial) of the Init-Data disk the driver attaches.</summary>
    public const string InitDataDiskId = InitDataImage.DiskId;

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
        VirtiofsdProcess? virtiofsd = null;
        QmpClient? qmp = null;
        QemuVmFiles? files = null;
        var createdDirectory = false;
        ISimpleKbs? keyBroker = null;
        SevLaunchSession? sevSession = null;
        try
        {
            spec.Validate();
            files = new QemuVmFiles(spec.RuntimeDirectory);
            files.ValidateSocketPaths();

            // Before anything is created: a TEE this host or this QEMU cannot launch fails here, naming why.
            var tee = PlanTee();
            if (tee.Launch.IsConfidential)
            {
                await _options.CapabilityProbe.RequireAsync(_config.Path, tee.Launch, cancellationToken).ConfigureAwait(false);
            }

            createdDirectory = !Directory.Exists(files.Directory);
            CreatePrivateDirectory(files.Directory);
            files.DeleteAll();

            var accelerator = tee.Launch.IsConfidential
                ? new AcceleratorDecision(Acceleration.Accelerator.Kvm, $"{TeeNames.Describe(tee.Launch.Kind)} guests run only under KVM", AcceleratorDecisionSource.Override)
                : await _probe.DecideAsync(
                    new AcceleratorProbeRequest { KernelPath = _config.Kernel.Length > 0 ? _config.Kernel : null },
                    cancellationToken).ConfigureAwait(false);
            var host = _options.Host ?? HostResources.Detect();
            spec = await AttachInitDataAsync(spec, tee, files, cancellationToken).ConfigureAwait(false);

            SevPreAttestation? attestation = null;
            if (tee.Launch is SevLaunch { PreAttestation: { } settings })
            {
                keyBroker = _options.KeyBrokerFactory(settings);
                attestation = new SevPreAttestation(settings, keyBroker, _logger);
                sevSession = await attestation.StartSessionAsync(files.Directory, cancellationToken).ConfigureAwait(false);
            }

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
                    Tee = tee.Launch,
                    SevSession = sevSession,
                });
                if (spec.SharedDirectory is { } shared)
                {
                    virtiofsd = await StartVirtiofsdAsync(files, shared, cancellationToken).ConfigureAwait(false);
                }

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
                    if (virtiofsd is not null)
                    {
                        // It served (or waited for) the QEMU that just failed; the next attempt gets a fresh one.
                        await virtiofsd.DisposeAsync().ConfigureAwait(false);
                        virtiofsd = null;
                    }

                    files.DeleteProcessFiles();
                    continue;
                }

                if (attestation is not null)
                {
                    // The guest is paused (-S): attest it, inject the released secret, let it run. A failure lands in
                    // the catch below, which kills QEMU and removes every file, so nothing of the launch is left.
                    var boot = new SevMeasuredBoot(
                        _config.Firmware,
                        _config.Kernel,
                        _config.Initrd.Length > 0 ? _config.Initrd : null,
                        string.Join(' ', plan.CommandLine.Append?.Parameters ?? []));
                    await attestation.AttestAsync(new QmpSevLaunchControl(qmp, _options.CommandTimeout), sevSession!, boot, spec.SandboxId, cancellationToken).ConfigureAwait(false);
                }

                Publish(process, virtiofsd, qmp, files, plan.Layout, endpoint, accelerator, createdDirectory);
                LogStarted(_logger, spec.SandboxId, process.Pid, qmp.Greeting.Version.ToString());
                return;
            }
        }
        catch (Exception ex)
        {
            var (exitCode, output) = await AbandonStartAsync(process, virtiofsd, qmp, files, createdDirectory).ConfigureAwait(false);
            if (ex is OperationCanceledException or HypervisorConfigurationException or ArgumentException or ObjectDisposedException)
            {
                throw;
            }

            var message = ex switch
            {
                HypervisorStartException => ex.Message,
                PreAttestationException => $"{ex.Message}; the VM was stopped",
                InitDataException => $"Init-Data disk: {ex.Message}",
                _ => $"QEMU did not start: {ex.Message}",
            };
            var error = new HypervisorStartException(message, exitCode, output, ex);
            LogStartFailed(_logger, spec.SandboxId, error.Message);
            throw error;
        }
        finally
        {
            // QEMU read the session files when it created sev-guest; a session is good for one launch only.
            sevSession?.DeleteFiles();
            keyBroker?.Dispose();
        }
    }

    /// <summary>Plans the TEE; host and configuration problems become configuration errors naming the key.</summary>
    private TeePlan PlanTee()
    {
        const string Section = "hypervisor.qemu";
        try
        {
            return new TeePlanner(_options.Tee).Plan(_config);
        }
        catch (TeeHostUnsupportedException e)
        {
            var key = Section + (_config.SevSnpGuest ? ".sev_snp_guest" : ".confidential_guest");
            throw new HypervisorConfigurationException(key, e.Message, e);
        }
        catch (TeeConfigurationException e)
        {
            var problem = e.Key.Length > 0 && e.Message.StartsWith(e.Key + ": ", StringComparison.Ordinal) ? e.Message[(e.Key.Length + 2)..] : e.Message;
            throw new HypervisorConfigurationException(e.Key.Length > 0 ? e.Key : Section, problem, e);
        }
    }

    /// <summary>
    /// Writes the pod's Init-Data as Kata's initdata disk and attaches it read-only; the guest agent finds it by its
    /// magic and the TEE (when there is one) already carries its digest.
    /// </summary>
    private static async Task<VmSpec> AttachInitDataAsync(VmSpec spec, TeePlan tee, QemuVmFiles files, CancellationToken cancellationToken)
    {
        if (tee.InitData is not { } initData)
        {
            return spec;
        }

        await InitDataImage.WriteFileAsync(files.InitDataImage, initData, cancellationToken).ConfigureAwait(false);
        var disk = new BlockDevice { Id = InitDataDiskId, Path = files.InitDataImage, ReadOnly = true, Serial = InitDataDiskId };
        return spec with { BlockDevices = [.. spec.BlockDevices, disk] };
    }

    /// <summary>
    /// Starts the virtiofsd for <paramref name="sharedDirectory"/> (<c>virtio_fs_daemon</c>); the command line factory
    /// has already checked that the configuration shares over virtio-fs.
    /// </summary>
    private async Task<VirtiofsdProcess> StartVirtiofsdAsync(QemuVmFiles files, string sharedDirectory, CancellationToken cancellationToken)
    {
        if (_config.VirtioFsDaemon.Length == 0)
        {
            throw new HypervisorConfigurationException("hypervisor.qemu.virtio_fs_daemon", "is required when shared_fs = \"virtio-fs\"");
        }

        if (!Directory.Exists(sharedDirectory))
        {
            throw new HypervisorStartException($"the shared directory {sharedDirectory} does not exist");
        }

        var commandLine = VirtiofsdCommandLine.For(_config, files.VirtiofsdSocket, sharedDirectory);
        var virtiofsd = await VirtiofsdProcess.StartAsync(
            _config.VirtioFsDaemon, commandLine, files.Directory, files.VirtiofsdLog, _options.StartTimeout, _logger, cancellationToken).ConfigureAwait(false);
        LogVirtiofsdStarted(_logger, virtiofsd.Pid, sharedDirectory);
        return virtiofsd;
    }

    private void Publish(
        QemuProcess process, VirtiofsdProcess? virtiofsd, QmpClient qmp, QemuVmFiles files, QemuDeviceLayout layout,
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
        var monitor = MonitorExitAsync(process, virtiofsd, qmp, files, events);
        lock (_gate)
        {
            _exitMonitor = monitor;
        }
    }

    private async Task<(int? ExitCode, string Output)> AbandonStartAsync(QemuProcess? process, VirtiofsdProcess? virtiofsd, QmpClient? qmp, QemuVmFiles? files, bool createdDirectory)
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

        if (virtiofsd is not null)
        {
            await virtiofsd.DisposeAsync().ConfigureAwait(false);
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

    private async Task MonitorExitAsync(QemuProcess process, VirtiofsdProcess? virtiofsd, QmpClient qmp, QemuVmFiles files, Task events)
    {
        try
        {
            var exitCode = await process.Exited.ConfigureAwait(false);

            // virtiofsd serves this VM only: it goes (and is reaped) with it, whether QEMU was stopped or died.
            if (virtiofsd is not null)
            {
                await virtiofsd.DisposeAsync().ConfigureAwait(false);
            }

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
