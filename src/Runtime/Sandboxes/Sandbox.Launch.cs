using Sealpod.Runtime.Network;
using Sealpod.Runtime.Network.PortForward;
using Sealpod.Tee.KernelParams;

namespace Sealpod.Runtime.Sandboxes;

public sealed partial class Sandbox
{
    /// <summary>
    /// Boots the sandbox's VM with the first container's image attached, dials the agent and creates the
    /// sandbox in the guest. On failure the VM is stopped and its files removed; the error says what failed,
    /// with the guest console's tail when the guest is to blame.
    /// </summary>
    public static async Task<Sandbox> LaunchAsync(SandboxLaunchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var logger = request.LoggerFactory.CreateLogger("Sealpod.Runtime.Sandbox");
        var configuration = request.Configuration;
        string directory = request.Directories.SandboxDirectory(request.SandboxId);
        var hypervisor = request.VmFactory.CreateHypervisor(configuration.Hypervisor, new HypervisorFactoryOptions
        {
            StateDirectory = request.Directories.StateRoot,
            LoggerFactory = request.LoggerFactory,
        });
        IAgent? agent = null;
        VirtioFsShare? share = null;
        SandboxNetwork? network = null;
        PortForwarder? portForwarder = null;
        SandboxHostCgroups? cgroups = null;
        try
        {
            if (request.NetworkNamespacePath is not null && configuration.Runtime.InternetworkingModel != Sealpod.Config.InternetworkingModel.None)
            {
                // The record of the wiring lives in the VM's directory (made here owner only, as the driver would).
                System.IO.Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                network = await request.Timeline.MeasureAsync("network", external: false,
                    () => SandboxNetwork.AttachAsync(request.NetworkNamespacePath, configuration.Runtime.InternetworkingModel, directory, cancellationToken)).ConfigureAwait(false);
                if (network is not null)
                {
                    // CRI's PortForward dials localhost in the pod's namespace: relayed from there to the guest.
                    portForwarder = await request.Timeline.MeasureAsync("port-forward", external: false,
                        () => TryStartPortForwarderAsync(request.NetworkNamespacePath, request.SandboxId, logger, cancellationToken)).ConfigureAwait(false);
                }
            }

            if (SandboxSettings.UsesVirtioFs(configuration))
            {
                // The VM's directory is made here (owner only, as the driver would) to hold the share next to its files.
                System.IO.Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                share = VirtioFsShare.Create(Path.Combine(directory, "fs"));
            }

            var spec = new VmSpec
            {
                SandboxId = request.SandboxId,
                RuntimeDirectory = directory,

                // [agent.kata] reaches the guest agent only through its command line (agent.log=debug, agent.trace, ...).
                AgentKernelParameters = GuestKernelParameters.ForAgent(configuration.Agent).Select(p => p.ToString()).ToArray(),
                SharedDirectory = share?.SharedDirectory,
                NetworkInterfaces = network is null ? [] :
                    [.. network.Nics(configuration.Hypervisor), .. portForwarder is null ? [] : new[] { portForwarder.Link.Nic(vhost: configuration.Hypervisor is not Sealpod.Config.QemuConfig { DisableVhostNet: true }) }],
                // No boot disk when the first container's image is pulled in the guest.
                BlockDevices = request.BootImage is { } boot
                    ? [new BlockDevice { Id = ImageAttachment.DeviceId(boot.Digest), Path = boot.Path, ReadOnly = true }]
                    : [],
            };
            await request.Timeline.MeasureAsync("vm-start", external: true, () => hypervisor.StartAsync(spec, cancellationToken)).ConfigureAwait(false);
            // QEMU holds its own copies of the tap queues now; the taps live as long as it does.
            network?.ReleaseDescriptors();
            portForwarder?.ReleaseDescriptors();
            LogVmStarted(logger, request.SandboxId, hypervisor.Pid ?? 0, hypervisor.Accelerator?.Accelerator.ToString() ?? "unknown");
            // Its own span, so that the timing line hides nothing between vm-start and agent-dial: the guest boots meanwhile.
            // Not marked external: on cgroup v2 it is the shim's own file writes. On cgroup v1 the vCPU threads come from
            // QMP, which answers only once qboot has copied the kernel (and an initrd, if any) while holding QEMU's big
            // lock, so there the span also holds that wait (src/Shim/README.md says so).
            await request.Timeline.MeasureAsync("host-cgroups", external: false,
                () => JoinHostCgroupsAsync(request, hypervisor, directory, c => cgroups = c, cancellationToken)).ConfigureAwait(false);

            var options = new AgentConnectOptions
            {
                Endpoint = AgentEndpoints.ToClient(hypervisor.AgentEndpoint ?? throw new InvalidOperationException("the hypervisor started without an agent endpoint")),
                DialTimeout = configuration.Agent.DialTimeout,
                ConsoleTail = () => Sealpod.Linux.IO.FileTail.Read(hypervisor.ConsoleLogPath),
                VmExited = DescribeExitAsync(hypervisor.WaitForExitAsync(CancellationToken.None)),
            };
            agent = await request.Timeline.MeasureAsync("agent-dial", external: true, () => request.VmFactory.ConnectAgentAsync(options, logger, cancellationToken)).ConfigureAwait(false);

            if (network is not null)
            {
                await request.Timeline.MeasureAsync("guest-network", external: true, () => ConfigureGuestNetworkAsync(agent, portForwarder is null ? network.Plan : network.Plan with { Interfaces = [.. network.Plan.Interfaces, PortForwardLink.GuestInterface] }, cancellationToken)).ConfigureAwait(false);
            }

            var create = new CreateSandboxRequest
            {
                Hostname = request.Hostname,
                Dns = request.Dns,
                SandboxId = request.SandboxId,
                Storages = share is null ? [] : [VirtioFsShare.GuestStorage()],
                KernelModules = KernelModules(configuration.Agent.KernelModules),
            };
            await request.Timeline.MeasureAsync("create-sandbox", external: true, () => agent.CreateSandboxAsync(create, cancellationToken)).ConfigureAwait(false);
            return new Sandbox(request.SandboxId, directory, hypervisor, agent, request.Events, request.Poller,
                SandboxSettings.From(configuration), request.BootImage?.Digest, logger, request.Time, request.Namespace, share, network) { _hostCgroups = cgroups, _portForwarder = portForwarder };
        }
        catch
        {
            if (agent is not null)
            {
                await agent.DisposeAsync().ConfigureAwait(false);
            }

            await hypervisor.DisposeAsync().ConfigureAwait(false);
            cgroups?.Remove();
            share?.Dispose();
            if (portForwarder is not null)
            {
                await portForwarder.DisposeAsync().ConfigureAwait(false);
            }

            if (network is not null)
            {
                try
                {
                    await network.DetachAsync(CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // The launch's own error is what the caller needs; delete retries from the record.
                    LogNetworkDetachFailed(logger, request.SandboxId, e.Message);
                }
            }

            TryDeleteDirectory(directory);
            throw;
        }
    }

    // Port-forward serves beside the pod network, it is not the pod network: where it cannot be set up (a namespace
    // whose lo is down, no iptables) the pod runs without it, as Kata's runtime-rs does with its port-forward rules.
    private static async Task<PortForwarder?> TryStartPortForwarderAsync(string namespacePath, string sandboxId, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            return await PortForwarder.StartAsync(namespacePath, logger, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            LogPortForwardUnavailable(logger, sandboxId, e.Message);
            return null;
        }
    }

    // Before CreateSandbox, as Kata: the NICs are found by MAC and named as in the pod, then routes and static neighbours.
    private static async Task ConfigureGuestNetworkAsync(IAgent agent, GuestNetworkPlan plan, CancellationToken cancellationToken)
    {
        foreach (var nic in plan.Interfaces)
        {
            await agent.UpdateInterfaceAsync(nic, cancellationToken).ConfigureAwait(false);
        }

        if (plan.Routes.Count > 0)
        {
            await agent.UpdateRoutesAsync(plan.Routes, cancellationToken).ConfigureAwait(false);
        }

        if (plan.Neighbours.Count > 0)
        {
            await agent.AddArpNeighborsAsync(plan.Neighbours, cancellationToken).ConfigureAwait(false);
        }
    }

    // [agent.kata] kernel_modules: "name param=value ..." per entry, as Kata splits them.
    private static List<KernelModule> KernelModules(IEnumerable<string> modules) =>
        modules
            .Select(module => module.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(words => words.Length > 0)
            .Select(words => new KernelModule { Name = words[0], Parameters = words[1..] })
            .ToList();

    private static async Task<string> DescribeExitAsync(Task<VmExitInfo> exited)
    {
        var exit = await exited.ConfigureAwait(false);
        return $"the hypervisor exited with status {exit.ExitCode}{(exit.ShutdownReason is null ? string.Empty : $" ({exit.ShutdownReason})")}";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "sandbox {SandboxId}: removing the pod network after a failed launch: {Reason}")]
    private static partial void LogNetworkDetachFailed(ILogger logger, string sandboxId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "sandbox {SandboxId}: kubectl port-forward will not reach this pod: {Reason}")]
    private static partial void LogPortForwardUnavailable(ILogger logger, string sandboxId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "sandbox {SandboxId}: VM started, hypervisor pid {Pid}, accelerator {Accelerator}")]
    private static partial void LogVmStarted(ILogger logger, string sandboxId, int pid, string accelerator);
}
