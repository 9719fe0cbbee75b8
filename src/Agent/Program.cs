using Sealpod.Agent.Attestation;
using Sealpod.Agent.InitData;
using Sealpod.Agent.Transport;

namespace Sealpod.Agent;

/// <summary>
/// sealpod-agent: PID 1 of the guest (exec'd by the initrd's /init). Serves the Kata agent API on
/// vsock port 1024 when the guest has vsock and on /dev/virtio-ports/agent.channel.0 when that port
/// exists (both if both do). Options, for running it elsewhere: --vsock-port N, --serial PATH,
/// --unix PATH (serve a unix socket), --state DIR (put every state directory below DIR),
/// --runtime PATH, --cgroup-parent NAME, --no-manage-guest, --debug (also agent.log=debug on the kernel command line).
/// </summary>
internal static class Program
{

    public static async Task<int> Main(string[] args)
    {
        var mainEntered = Stopwatch.GetTimestamp();
        var childSignalWasIgnored = ChildSignalDisposition.ResetIfIgnored();
        // Kata's switch: agent.log=debug on the kernel command line (or --log-level debug).
        var debug = KernelCommandLine.GetValue(KernelCommandLine.Read(), AgentKernelParameters.Log) == "debug" || args.Contains("--debug");
        var log = new AgentLog(Console.Error, debug ? LogLevel.Debug : LogLevel.Information);
        try
        {
            if (childSignalWasIgnored)
            {
                log.LogInformation("SIGCHLD was inherited ignored; reset to default so that exits are seen");
            }

            return await RunAsync(args, log, mainEntered).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            log.LogCritical(e, "fatal");
            if (Environment.ProcessId == 1)
            {
                // PID 1 must not exit (the kernel would panic before the console shows why).
                await Task.Delay(Timeout.Infinite).ConfigureAwait(false);
            }

            return 1;
        }
    }

    private static async Task<int> RunAsync(string[] args, AgentLog log, long mainEntered)
    {
        var steps = new StartupSteps(log, mainEntered);
        steps.Entered();

        EnsureStandardDescriptors();
        var isInit = Environment.ProcessId == 1;
        var commandLine = KernelCommandLine.Read();
        var vsockPort = AgentChannel.VsockPort;
        var serialPort = AgentChannel.SerialDevicePath;
        string? unixSocket = null;
        string? stateDirectory = null;
        string? runtime = null;
        string? cgroupParent = null;
        var manageGuest = isInit;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--vsock-port":
                    vsockPort = uint.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--serial":
                    serialPort = args[++i];
                    break;
                case "--unix":
                    unixSocket = args[++i];
                    break;
                case "--state":
                    stateDirectory = args[++i];
                    break;
                case "--runtime":
                    runtime = args[++i];
                    break;
                case "--cgroup-parent":
                    cgroupParent = args[++i];
                    break;
                case "--no-manage-guest":
                    manageGuest = false;
                    break;
                case "--debug":
                    break;
                default:
                    log.LogError("unknown option {Option}", args[i]);
                    return 2;
            }
        }

        var confidential = ConfidentialGuest.Evidence(commandLine, "/", path => File.Exists(path) || Directory.Exists(path));
        var options = new AgentOptions
        {
            ManageGuest = manageGuest,
            RuntimeBinary = runtime ?? RuntimeLocator.Locate(commandLine, File.Exists),
            Confidential = confidential is not null,
            ImageRegistryAuth = KernelCommandLine.GetValue(commandLine, AgentKernelParameters.ImageRegistryAuth),
        };
        if (KernelCommandLine.GetValue(commandLine, AgentKernelParameters.ImagePullTimeout) is { } pullTimeout)
        {
            if (uint.TryParse(pullTimeout, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
            {
                options = options with { ImagePullTimeout = TimeSpan.FromSeconds(seconds) };
            }
            else
            {
                log.LogWarning("{Parameter}={Value} is not a positive number of seconds; keeping {Default} s", AgentKernelParameters.ImagePullTimeout, pullTimeout, options.ImagePullTimeout.TotalSeconds);
            }
        }

        if (cgroupParent is not null)
        {
            options = options with { CgroupParent = cgroupParent };
        }
        if (stateDirectory is not null)
        {
            options = options with
            {
                ContainersRoot = Path.Combine(stateDirectory, "containers"),
                RuntimeStateRoot = Path.Combine(stateDirectory, "runtime"),
                StorageRoot = Path.Combine(stateDirectory, "storage"),
                CopyFileRoot = Path.Combine(stateDirectory, "files"),
            };
            Directory.CreateDirectory(options.CopyFileRoot);
        }

        steps.Done("options (kernel command line, confidential evidence, runtime lookup)");
        using var poller = new FdPoller();
        using var reaper = ChildReaper.Start(log);
        steps.Done("poller and child reaper");
        await using var host = AgentHost.Create(options, log, poller, reaper);
        steps.Done("agent host (services, storage, cgroup layout)");
        log.LogInformation(
            "{Kind} guest{Evidence}: agent policy {Policy} until Init-Data or SetPolicy gives one",
            confidential is null ? "not a confidential" : "confidential",
            confidential is null ? "" : $" ({confidential})",
            host.Policy.Current.Source);
        using var stop = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            // As PID 1 the agent outlives everything; elsewhere SIGTERM shuts it down cleanly.
            context.Cancel = true;
            if (!isInit)
            {
                stop.Cancel();
            }
        });

        if (options.ManageGuest && !await LoadInitDataAsync(options, host.Policy, log, stop.Token).ConfigureAwait(false))
        {
            return 1;
        }

        steps.Done("Init-Data");
        var listener = new AgentListener(host.Server, poller, log);
        var serving = new List<Task>();
        var transports = new List<string>();
        if (unixSocket is not null)
        {
            serving.Add(host.Server.ServeUnixAsync(unixSocket, stop.Token));
            transports.Add($"unix:{unixSocket}");
        }
        else
        {
            if (File.Exists("/dev/vsock"))
            {
                if (VsockListener.TryListen(poller, vsockPort, out var failure) is { } vsock)
                {
                    serving.Add(ServeAndDisposeAsync(listener.ServeVsockAsync(vsock, stop.Token), vsock));
                    transports.Add($"vsock:{vsockPort}");
                }
                else
                {
                    log.LogInformation("no vsock listener: {Reason}", failure);
                }
            }

            if (File.Exists(serialPort))
            {
                serving.Add(listener.ServeSerialPortAsync(serialPort, stop.Token));
                transports.Add(serialPort);
            }
        }

        steps.Done("listeners");
        if (serving.Count == 0)
        {
            throw new InvalidOperationException($"nothing to serve on: no usable /dev/vsock and no {serialPort}");
        }

        log.LogInformation(
            "ready in {MainMs} ms since Main, {ProcessMs} since the process started (as PID 1: since /init), {BootMs} ms since boot; RSS {Rss}; runtime {Runtime}; serving {Transports}",
            Stopwatch.GetElapsedTime(mainEntered).TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture),
            GuestUptime.SinceProcessStart() is { } sinceStart ? $"{sinceStart:0} ms" : "unknown",
            GuestUptime.Milliseconds()?.ToString("0", CultureInfo.InvariantCulture) ?? "unknown",
            ResidentSetSize(),
            host.Runtime.Binary,
            string.Join(", ", transports));

        try
        {
            await Task.WhenAll(serving).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The listeners end by cancellation.
        }

        log.LogInformation("stopping: removing {Count} containers", host.Sandbox.Containers.Count);
        return 0;
    }

    /// <summary>
    /// Init-Data before anything is served, as in Kata, checked against the TEE report and its policy put in force
    /// (<see cref="InitDataBootStep"/>). Only in a guest the agent owns: elsewhere the disks are the host's. False when
    /// it failed, after the VM was told to power off (the host then sees it end).
    /// </summary>
    private static Task<bool> LoadInitDataAsync(AgentOptions options, PolicyEnforcer policy, AgentLog log, CancellationToken cancellationToken)
    {
        var finder = new InitDataDiskFinder(options.DevRoot, new ScsiDeviceResolver(options.SysfsRoot, options.DevRoot), options.DeviceTimeout, log);
        var step = new InitDataBootStep(
            new InitDataLoader(finder, options.InitDataDirectory, TimeProvider.System, log),
            GuestTeeReportSource.Under("/"),
            options.Confidential,
            policy,
            () =>
            {
                if (Environment.ProcessId == 1)
                {
                    GuestPower.PowerOff(log);
                }
            },
            log);
        return step.RunAsync(cancellationToken);
    }

    private static async Task ServeAndDisposeAsync(Task serving, IDisposable resource)
    {
        try
        {
            await serving.ConfigureAwait(false);
        }
        finally
        {
            resource.Dispose();
        }
    }

    /// <summary>
    /// Children get pipes dup2'ed onto 0-2; if the kernel started the agent with any of those closed,
    /// a pipe could land there itself. Fill the gaps with /dev/null first.
    /// </summary>
    private static void EnsureStandardDescriptors()
    {
        for (var fd = 0; fd <= 2; fd++)
        {
            if (LibC.Fcntl(fd, LibC.F_GETFL, 0) < 0)
            {
                _ = Marshal.GetLastPInvokeError();
                LibC.Open("/dev/null", LibC.O_RDWR, 0); // Lands on the lowest free number: this one.
            }
        }
    }

    // The agent's own memory, for the figures a user sizes the guest by (VmRSS of /proc/self/status).
    private static string ResidentSetSize()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return line["VmRSS:".Length..].Trim();
                }
            }
        }
        catch (IOException)
        {
        }

        return "unknown";
    }
}
