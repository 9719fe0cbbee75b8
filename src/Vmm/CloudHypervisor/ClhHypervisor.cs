using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sealpod.Config;
using Sealpod.Tee;
using Sealpod.Tee.Host;
using Sealpod.Tee.InitData;
using Sealpod.Tee.Launch;
using Sealpod.Vmm.Acceleration;
using Sealpod.Vmm.CloudHypervisor.Api;
using Sealpod.Vmm.Qemu;

namespace Sealpod.Vmm.CloudHypervisor;

/// <summary>
/// The Cloud Hypervisor driver: one instance runs one sandbox VM. It starts <c>cloud-hypervisor --api-socket</c>,
/// waits for vmm.ping, creates the VM from the configuration (vm.create) and boots it (vm.boot), reads where the disks
/// landed (vm.info), and reaches the agent over hybrid vsock. TDX and SEV-SNP guests are launched as planned by
/// <see cref="TeePlanner"/>, with the pod's Init-Data digest as SEV-SNP host_data.
/// </summary>
public sealed partial class ClhHypervisor : IHypervisor
{
    private const string Section = "hypervisor.clh";

    private readonly CloudHypervisorConfig _config;
    private readonly ClhHypervisorOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource<VmExitInfo> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, BlockDeviceAttachment> _attachments = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _apiLock = new(1, 1);

    // Guarded by _gate.
    private HypervisorState _state = HypervisorState.Created;
    private QemuProcess? _process;
    private ClhApiClient? _api;
    private ClhVmFiles? _files;
    private AgentEndpoint? _agentEndpoint;
    private bool _createdDirectory;
    private bool _booted;
    private Task _exitMonitor = Task.CompletedTask;

    /// <summary>Creates the driver for one VM.</summary>
    public ClhHypervisor(CloudHypervisorConfig config, ClhHypervisorOptions? options = null, ILogger<ClhHypervisor>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        _config = config;
        _options = options ?? new ClhHypervisorOptions();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public string Name => "clh";

    /// <inheritdoc />
    public HypervisorState State => Snapshot(() => _state);

    /// <inheritdoc />
    public int? Pid => Snapshot(() => _process?.Pid);

    /// <inheritdoc />
    public string? ConsoleLogPath => Snapshot(() => _files?.ConsoleLog);

    /// <inheritdoc />
    public string? HypervisorLogPath => Snapshot(() => _files?.HypervisorLog);

    /// <inheritdoc />
    public AgentEndpoint? AgentEndpoint => Snapshot(() => _agentEndpoint);

    /// <inheritdoc />
    public AcceleratorDecision? Accelerator => Snapshot(() => _process is null
        ? null
        : new AcceleratorDecision(Acceleration.Accelerator.Kvm, "Cloud Hypervisor runs on KVM only", AcceleratorDecisionSource.Override));

    /// <inheritdoc />
    public IReadOnlyCollection<BlockDeviceAttachment> BlockDevices => _attachments.Values.ToArray();

    /// <inheritdoc />
    public HypervisorCapabilities Capabilities => HypervisorCapabilities.PauseResume | HypervisorCapabilities.BlockDeviceHotplug;

    /// <inheritdoc />
    public async Task StartAsync(VmSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_state == HypervisorState.Disposed, this);
            if (_state != HypervisorState.Created)
            {
                throw new InvalidOperationException($"a Cloud Hypervisor driver instance runs one VM once; it is {_state}");
            }

            _state = HypervisorState.Starting;
        }

        QemuProcess? process = null;
        ClhApiClient? api = null;
        ClhVmFiles? files = null;
        var createdDirectory = false;
        try
        {
            spec.Validate();
            foreach (var device in spec.BlockDevices)
            {
                ValidateDisk(device);
            }

            files = new ClhVmFiles(spec.RuntimeDirectory);
            files.ValidateSocketPaths();
            var tee = PlanTee();
            createdDirectory = !Directory.Exists(files.Directory);
            CreatePrivateDirectory(files.Directory);
            files.DeleteAll();

            if (tee.InitData is { } initData)
            {
                await InitDataImage.WriteFileAsync(files.InitDataImage, initData, cancellationToken).ConfigureAwait(false);
                var disk = new BlockDevice { Id = InitDataImage.DiskId, Path = files.InitDataImage, ReadOnly = true, Serial = InitDataImage.DiskId };
                spec = spec with { BlockDevices = [.. spec.BlockDevices, disk] };
            }

            var vmConfig = ClhVmConfigFactory.Create(new ClhLaunchRequest
            {
                Config = _config,
                Spec = spec,
                Files = files,
                Host = _options.Host ?? HostResources.Detect(),
                Tee = tee.Launch,
            });

            string[] arguments = _config.EnableDebug ? ["--api-socket", files.ApiSocket, "-v"] : ["--api-socket", files.ApiSocket];
            LogLaunching(_logger, spec.SandboxId, TeeNames.Describe(tee.Launch.Kind), _config.Path);
            process = QemuProcess.Start(_config.Path, arguments, files.Directory, files.HypervisorLog, _logger);
            api = new ClhApiClient(files.ApiSocket, tee.Launch.IsConfidential ? _options.ConfidentialApiTimeout : _options.ApiTimeout);
            var ping = await WaitForApiAsync(process, api, files.ApiSocket, cancellationToken).ConfigureAwait(false);

            await api.CreateVmAsync(vmConfig, cancellationToken).ConfigureAwait(false);
            var booted = false;
            if (!spec.StartPaused)
            {
                await api.BootVmAsync(cancellationToken).ConfigureAwait(false);
                booted = true;
            }

            var info = await api.VmInfoAsync(cancellationToken).ConfigureAwait(false);
            Publish(process, api, files, info, spec, createdDirectory, booted);
            LogStarted(_logger, spec.SandboxId, process.Pid, ping.Version);
        }
        catch (Exception ex)
        {
            var (exitCode, output) = await AbandonStartAsync(process, api, files, createdDirectory).ConfigureAwait(false);
            if (ex is OperationCanceledException or HypervisorConfigurationException or ArgumentException or ObjectDisposedException)
            {
                throw;
            }

            var message = ex is HypervisorStartException ? ex.Message : $"Cloud Hypervisor did not start: {ex.Message}";
            throw new HypervisorStartException(message, exitCode, output, ex);
        }
    }

    /// <inheritdoc />
    public async Task<VmExitInfo> StopAsync(TimeSpan gracePeriod, CancellationToken cancellationToken = default)
    {
        QemuProcess process;
        ClhApiClient api;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_state == HypervisorState.Disposed, this);
            if (_state is HypervisorState.Created or HypervisorState.Starting or HypervisorState.Failed || _process is null || _api is null)
            {
                throw new InvalidOperationException($"the VM has not been started (state {_state})");
            }

            if (_state == HypervisorState.Running)
            {
                _state = HypervisorState.Stopping;
            }

            process = _process;
            api = _api;
        }

        await StopCoreAsync(process, api, gracePeriod, cancellationToken).ConfigureAwait(false);
        return await _exit.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

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

    /// <inheritdoc />
    public async Task<BlockDeviceAttachment> HotplugBlockDeviceAsync(BlockDevice device, CancellationToken cancellationToken = default)
    {
        ValidateDisk(device);
        var api = RequireRunning();
        if (_attachments.ContainsKey(device.Id))
        {
            throw new HypervisorException($"block device '{device.Id}' is already attached");
        }

        await _apiLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var info = await api.AddDiskAsync(new DiskConfig { Path = device.Path, Readonly = device.ReadOnly, Id = device.Id, Serial = device.Serial }, cancellationToken).ConfigureAwait(false);
            var attachment = new BlockDeviceAttachment(device, GuestBlockDriver.VirtioBlk, ParseBdf(info.Bdf, device.Id), Hotplugged: true);
            _attachments[device.Id] = attachment;
            return attachment;
        }
        finally
        {
            _apiLock.Release();
        }
    }

    /// <inheritdoc />
    public async Task UnplugBlockDeviceAsync(string deviceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        var api = RequireRunning();
        if (!_attachments.ContainsKey(deviceId))
        {
            throw new HypervisorException($"block device '{deviceId}' is not attached");
        }

        await _apiLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await api.RemoveDeviceAsync(deviceId, cancellationToken).ConfigureAwait(false);
            _attachments.TryRemove(deviceId, out _);
        }
        finally
        {
            _apiLock.Release();
        }
    }

    /// <inheritdoc />
    public Task PauseAsync(CancellationToken cancellationToken = default) => RequireRunning().PauseVmAsync(cancellationToken);

    /// <inheritdoc />
    public async Task ResumeAsync(CancellationToken cancellationToken = default)
    {
        var api = RequireRunning();
        bool booted;
        lock (_gate)
        {
            booted = _booted;
            _booted = true;
        }

        // A VM started paused was created but never booted: resuming it is its first boot.
        await (booted ? api.ResumeVmAsync(cancellationToken) : api.BootVmAsync(cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Stops the VM if it still runs, waits for the reap, and removes the VM's files.</summary>
    public async ValueTask DisposeAsync()
    {
        QemuProcess? process;
        ClhApiClient? api;
        ClhVmFiles? files;
        bool createdDirectory;
        lock (_gate)
        {
            if (_state == HypervisorState.Disposed)
            {
                return;
            }

            process = _process;
            api = _api;
            files = _files;
            createdDirectory = _createdDirectory;
            if (process is null)
            {
                _state = HypervisorState.Disposed;
            }
        }

        if (process is not null && api is not null)
        {
            if (!process.HasExited)
            {
                await StopCoreAsync(process, api, TimeSpan.Zero, CancellationToken.None).ConfigureAwait(false);
            }

            Task monitor;
            lock (_gate)
            {
                monitor = _exitMonitor;
            }

            await monitor.ConfigureAwait(false);
            await process.DisposeAsync().ConfigureAwait(false);
            api.Dispose();
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

        _exit.TrySetException(new ObjectDisposedException(nameof(ClhHypervisor)));
        _exit.Task.Exception?.Handle(_ => true);
        _apiLock.Dispose();
    }

    private TeePlan PlanTee()
    {
        try
        {
            return new TeePlanner(_options.Tee).Plan(_config);
        }
        catch (TeeHostUnsupportedException e)
        {
            throw new HypervisorConfigurationException(Section + (_config.SevSnpGuest ? ".sev_snp_guest" : ".confidential_guest"), e.Message, e);
        }
        catch (TeeConfigurationException e)
        {
            var problem = e.Key.Length > 0 && e.Message.StartsWith(e.Key + ": ", StringComparison.Ordinal) ? e.Message[(e.Key.Length + 2)..] : e.Message;
            throw new HypervisorConfigurationException(e.Key.Length > 0 ? e.Key : Section, problem, e);
        }
    }

    /// <summary>Polls vmm.ping until the VMM answers; an exit before that is a start failure whose reason is in its log.</summary>
    private async Task<VmmPingResponse> WaitForApiAsync(QemuProcess process, ClhApiClient api, string socket, CancellationToken cancellationToken)
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
                    throw new HypervisorStartException("Cloud Hypervisor exited during start-up");
                }

                if (File.Exists(socket))
                {
                    try
                    {
                        return await api.PingAsync(timeout.Token).ConfigureAwait(false);
                    }
                    catch (HttpRequestException)
                    {
                        // The socket exists but the API thread is not accepting yet.
                    }
                }

                await Task.WhenAny(process.Exited, Task.Delay(delay, timeout.Token)).ConfigureAwait(false);
                timeout.Token.ThrowIfCancellationRequested();
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromMilliseconds(100).Ticks));
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HypervisorStartException($"Cloud Hypervisor's API socket did not answer vmm.ping within {_options.StartTimeout.TotalSeconds:0.#} s");
        }
    }

    private void Publish(QemuProcess process, ClhApiClient api, ClhVmFiles files, VmInfo info, VmSpec spec, bool createdDirectory, bool booted)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_state == HypervisorState.Disposed, this);
            _process = process;
            _api = api;
            _files = files;
            _agentEndpoint = new HybridVsockAgentEndpoint(files.VsockSocket, VsockAgentEndpoint.DefaultPort);
            _createdDirectory = createdDirectory;
            _booted = booted;
            foreach (var device in spec.BlockDevices)
            {
                var node = info.DeviceTree?.GetValueOrDefault(device.Id);
                if (node?.PciBdf is not { } bdf)
                {
                    throw new HypervisorStartException($"vm.info does not say where disk '{device.Id}' is (no pci_bdf in its device_tree entry)");
                }

                _attachments[device.Id] = new BlockDeviceAttachment(device, GuestBlockDriver.VirtioBlk, ParseBdf(bdf, device.Id), Hotplugged: false);
            }

            _state = HypervisorState.Running;
        }

        var monitor = MonitorExitAsync(process, files);
        lock (_gate)
        {
            _exitMonitor = monitor;
        }
    }

    private async Task MonitorExitAsync(QemuProcess process, ClhVmFiles files)
    {
        try
        {
            var exitCode = await process.Exited.ConfigureAwait(false);
            TryDelete(files.ApiSocket);
            TryDelete(files.VsockSocket);
            lock (_gate)
            {
                if (_state is HypervisorState.Running or HypervisorState.Stopping)
                {
                    _state = HypervisorState.Exited;
                }
            }

            LogExited(_logger, process.Pid, exitCode, process.KillRequested);
            _exit.TrySetResult(new VmExitInfo(exitCode, null, process.KillRequested, _options.TimeProvider.GetUtcNow()));
        }
        catch (Exception ex)
        {
            _exit.TrySetException(ex);
        }
    }

    /// <summary>Power button and a grace period, then vm.shutdown and vmm.shutdown, then SIGKILL; always reaps.</summary>
    private async Task StopCoreAsync(QemuProcess process, ClhApiClient api, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        if (gracePeriod > TimeSpan.Zero && !process.HasExited && await TryAsync(api.PowerButtonAsync).ConfigureAwait(false))
        {
            await Task.WhenAny(process.Exited, Task.Delay(gracePeriod, cancellationToken)).ConfigureAwait(false);
        }

        if (!process.HasExited)
        {
            await TryAsync(api.ShutdownVmAsync).ConfigureAwait(false);
            await TryAsync(api.ShutdownVmmAsync).ConfigureAwait(false);
            await Task.WhenAny(process.Exited, Task.Delay(_options.QuitTimeout, CancellationToken.None)).ConfigureAwait(false);
        }

        if (!process.HasExited)
        {
            process.Kill();
        }

        await process.Exited.ConfigureAwait(false);
    }

    private async Task<bool> TryAsync(Func<CancellationToken, Task> call)
    {
        try
        {
            await call(CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is ClhApiException or HttpRequestException or TimeoutException or IOException)
        {
            LogStopStepFailed(_logger, e.Message);
            return false;
        }
    }

    private async Task<(int? ExitCode, string Output)> AbandonStartAsync(QemuProcess? process, ClhApiClient? api, ClhVmFiles? files, bool createdDirectory)
    {
        int? exitCode = null;
        var output = string.Empty;
        api?.Dispose();
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

    private ClhApiClient RequireRunning()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_state == HypervisorState.Disposed, this);
            if (_state != HypervisorState.Running || _api is null)
            {
                throw new InvalidOperationException($"the VM is not running (state {_state})");
            }

            return _api;
        }
    }

    /// <summary>Cloud Hypervisor puts devices on bus 0 of segment 0: "0000:00:05.0" is guest PCI path "05".</summary>
    internal static PciPath ParseBdf(string bdf, string deviceId)
    {
        var match = BdfPattern().Match(bdf);
        if (!match.Success || match.Groups["bus"].Value != "00")
        {
            throw new HypervisorException($"disk '{deviceId}' is at PCI address '{bdf}': expected segment:00:device.function on the root bus");
        }

        return new PciPath(int.Parse(match.Groups["device"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
    }

    private static void ValidateDisk(BlockDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        device.ValidateId(nameof(device));

        if (!Path.IsPathFullyQualified(device.Path))
        {
            throw new ArgumentException($"block device '{device.Id}': path '{device.Path}' is not absolute", nameof(device));
        }
    }

    private T Snapshot<T>(Func<T> read)
    {
        lock (_gate)
        {
            return read();
        }
    }

    // The API socket controls the VM: owner only.
    private static void CreatePrivateDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("the Cloud Hypervisor driver runs on Linux only");
        }

        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    private static void TryDeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    [GeneratedRegex("^[0-9a-fA-F]{4}:(?<bus>[0-9a-fA-F]{2}):(?<device>[0-9a-fA-F]{2})\\.[0-7]$")]
    private static partial Regex BdfPattern();

    [LoggerMessage(Level = LogLevel.Information, Message = "sandbox {SandboxId}: launching Cloud Hypervisor ({Tee}) {Path}")]
    private static partial void LogLaunching(ILogger logger, string sandboxId, string tee, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "sandbox {SandboxId}: Cloud Hypervisor {Version} running as pid {Pid}")]
    private static partial void LogStarted(ILogger logger, string sandboxId, int pid, string version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cloud Hypervisor pid {Pid} exited with {ExitCode} (killed: {Killed})")]
    private static partial void LogExited(ILogger logger, int pid, int exitCode, bool killed);

    [LoggerMessage(Level = LogLevel.Debug, Message = "stopping Cloud Hypervisor: {Reason}")]
    private static partial void LogStopStepFailed(ILogger logger, string reason);
}
