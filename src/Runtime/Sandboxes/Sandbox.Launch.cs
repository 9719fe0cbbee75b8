using Microsoft.Extensions.Logging;
using Sealpod.AgentClient;
using Sealpod.AgentClient.Model;
using Sealpod.Runtime.Cgroups;
using Sealpod.Runtime.Diagnostics;
using Sealpod.Runtime.Sharing;
using Sealpod.Runtime.Translation;
using Sealpod.Tee.KernelParams;
using Sealpod.Vmm;

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
        SandboxHostCgroups? cgroups = null;
        try
        {
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
                BlockDevices =
                [
                    new BlockDevice { Id = ImageAttachment.DeviceId(request.BootImage.Digest), Path = request.BootImage.Path, ReadOnly = true },
                ],
            };
            await request.Timeline.MeasureAsync("vm-start", external: true, () => hypervisor.StartAsync(spec, cancellationToken)).ConfigureAwait(false);
            LogVmStarted(logger, request.SandboxId, hypervisor.Pid ?? 0, hypervisor.Accelerator?.Accelerator.ToString() ?? "unknown");
            await JoinHostCgroupsAsync(request, hypervisor, directory, c => cgroups = c, cancellationToken).ConfigureAwait(false);

            var options = new AgentConnectOptions
            {
                Endpoint = AgentEndpoints.ToClient(hypervisor.AgentEndpoint ?? throw new InvalidOperationException("the hypervisor started without an agent endpoint")),
                DialTimeout = configuration.Agent.DialTimeout,
                ConsoleTail = () => FileTail.Read(hypervisor.ConsoleLogPath),
                VmExited = DescribeExitAsync(hypervisor.WaitForExitAsync(CancellationToken.None)),
            };
            agent = await request.Timeline.MeasureAsync("agent-dial", external: true, () => request.VmFactory.ConnectAgentAsync(options, logger, cancellationToken)).ConfigureAwait(false);

            var create = new CreateSandboxRequest
            {
                Hostname = request.Hostname,
                SandboxId = request.SandboxId,
                Storages = share is null ? [] : [VirtioFsShare.GuestStorage()],
                KernelModules = KernelModules(configuration.Agent.KernelModules),
            };
            await request.Timeline.MeasureAsync("create-sandbox", external: true, () => agent.CreateSandboxAsync(create, cancellationToken)).ConfigureAwait(false);
            return new Sandbox(request.SandboxId, directory, hypervisor, agent, request.Events, request.Poller,
                SandboxSettings.From(configuration), request.BootImage.Digest, logger, request.Time, request.Namespace, share) { _hostCgroups = cgroups };
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
            TryDeleteDirectory(directory);
            throw;
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

    [LoggerMessage(Level = LogLevel.Information, Message = "sandbox {SandboxId}: VM started, hypervisor pid {Pid}, accelerator {Accelerator}")]
    private static partial void LogVmStarted(ILogger logger, string sandboxId, int pid, string accelerator);
}
