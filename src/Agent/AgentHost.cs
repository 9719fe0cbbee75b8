using Sealpod.Agent.Service;

namespace Sealpod.Agent;

/// <summary>
/// Everything the agent is made of, wired together: poller, reaper, runtime, storage, sandbox and
/// the ttrpc server with the agent services registered. The program serves it over vsock or
/// virtio-serial; tests serve it over a unix socket. Only one may exist per process (one reaper).
/// </summary>
internal sealed class AgentHost(Sandbox sandbox, TtrpcServer server, OciRuntime runtime, PolicyEnforcer policy) : IAsyncDisposable
{
    public Sandbox Sandbox { get; } = sandbox;

    public TtrpcServer Server { get; } = server;

    public OciRuntime Runtime { get; } = runtime;

    /// <summary>The agent policy every request is checked against (built in until Init-Data or SetPolicy gives one).</summary>
    public PolicyEnforcer Policy { get; } = policy;

    /// <summary>Builds the agent with an existing poller and reaper (tests share one per process).</summary>
    public static AgentHost Create(AgentOptions options, ILogger log, FdPoller poller, ChildReaper reaper)
    {
        ArgumentNullException.ThrowIfNull(options);
        var runtimeBinary = options.RuntimeBinary
            ?? throw new InvalidOperationException($"no OCI runtime found (looked for {string.Join(", ", RuntimeLocator.Candidates)} and agent.runtime= on the kernel command line)");
        Directory.CreateDirectory(options.ContainersRoot);
        Directory.CreateDirectory(options.RuntimeStateRoot);
        Directory.CreateDirectory(options.StorageRoot);

        // A confidential guest does not trust the host: CopyFile reaches only the containers' shared directory, and
        // without a policy the agent applies coco-default's.
        var copyRoot = options.Confidential ? options.SharedFilesRoot : options.CopyFileRoot;
        Directory.CreateDirectory(copyRoot);
        var policy = new PolicyEnforcer(options.Confidential ? AgentPolicy.ConfidentialDefault : AgentPolicy.AllowAll, log);

        var runner = new CommandRunner(reaper, poller);
        var runtime = new OciRuntime(runtimeBinary, options.RuntimeStateRoot, runner, log);
        var storage = new StorageManager(options, new BlockDeviceResolver(options.SysfsRoot), TimeProvider.System, log);
        var guest = new GuestSystem(options, runner, log);
        var sandbox = new Sandbox(options, runtime, reaper, poller, storage, CgroupLayout.Detect(options.CgroupMountPoint), guest, log);
        var server = new TtrpcServer(new TtrpcServerOptions { RequireSameUser = false, Logger = log });
        new AgentService(sandbox, guest, new FileCopier(copyRoot, [options.InitDataDirectory]), policy, log).Register(server);
        return new AgentHost(sandbox, server, runtime, policy);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync().ConfigureAwait(false);
        await Sandbox.DisposeAsync().ConfigureAwait(false);
    }
}
