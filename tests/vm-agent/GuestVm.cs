using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sealpod.AgentClient.Transport;
using Sealpod.Runtime.Rootfs;

namespace Sealpod.VmAgent.IntegrationTests;

/// <summary>
/// One real VM booted from the coco-dev configuration under real QEMU, with the real guest kernel,
/// initrd and agent, reached through the agent client. Disposing it stops the VM and removes its files.
/// </summary>
internal sealed class GuestVm : IAsyncDisposable
{
    private readonly List<string> _containers = [];

    private GuestVm(string work, IHypervisor hypervisor, IAgent agent, ErofsImageCache images, string rootfs, TimeSpan bootTime)
    {
        BootTime = bootTime;
        Work = work;
        Hypervisor = hypervisor;
        Agent = agent;
        Images = images;
        Rootfs = rootfs;
    }

    public string Work { get; }

    public IHypervisor Hypervisor { get; }

    public IAgent Agent { get; }

    public ErofsImageCache Images { get; }

    public string Rootfs { get; }

    /// <summary>From asking the driver to start QEMU to the agent answering its first health check.</summary>
    public TimeSpan BootTime { get; }

    /// <summary>Boots the VM of the coco-dev configuration (as <paramref name="configure"/> changes it) with <paramref name="blockDevices"/> attached at boot.</summary>
    public static async Task<GuestVm> BootAsync(
        string name,
        IReadOnlyList<string>? extraKernelParameters = null,
        TimeSpan? dialTimeout = null,
        Func<HypervisorConfig, HypervisorConfig>? configure = null,
        IReadOnlyList<BlockDevice>? blockDevices = null,
        CancellationToken cancellationToken = default,
        string? sharedDirectory = null)
    {
        GuestAssets.Require();
        // Short: the VM's unix sockets live in here and must fit in 107 bytes.
        string work = Directory.CreateDirectory(Path.Combine("/tmp", $"svi-{name}-{Guid.NewGuid().ToString("N")[..6]}")).FullName;
        IHypervisor? hypervisor = null;
        try
        {
            var config = await new ConfigurationLoader().LoadAsync(GuestAssets.ConfigPath, cancellationToken);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var hypervisorConfig = configure is null ? config.Hypervisor : configure(config.Hypervisor);
            hypervisor = HypervisorFactory.Create(hypervisorConfig, new HypervisorFactoryOptions { StateDirectory = Path.Combine(work, "state") });
            await hypervisor.StartAsync(
                new VmSpec
                {
                    SandboxId = $"{name}-{Path.GetFileName(work)[^6..]}",
                    RuntimeDirectory = Path.Combine(work, "vm"),
                    ExtraKernelParameters = extraKernelParameters ?? [],
                    AgentTransport = AgentTransport.VirtioSerial,
                    BlockDevices = blockDevices ?? [],
                    SharedDirectory = sharedDirectory,
                },
                cancellationToken);

            var exited = hypervisor.WaitForExitAsync(CancellationToken.None)
                .ContinueWith(t => t.IsCompletedSuccessfully ? $"qemu exited with status {t.Result.ExitCode} ({t.Result.ShutdownReason ?? "no shutdown event"})" : "qemu is gone", TaskScheduler.Default);
            var vm = hypervisor;
            var agent = await AgentConnector.ConnectAsync(
                new AgentConnectOptions
                {
                    Endpoint = ToClientEndpoint(hypervisor.AgentEndpoint!),
                    DialTimeout = dialTimeout ?? config.Agent.DialTimeout,
                    ConsoleTail = () => ConsoleTail(vm),
                    VmExited = exited,
                },
                NullLogger.Instance,
                cancellationToken);
            var bootTime = clock.Elapsed;
            string rootfs = await BusyboxRootfs.CreateAsync(work);
            return new GuestVm(work, hypervisor, agent, new ErofsImageCache(Path.Combine(work, "images"), NullLogger.Instance), rootfs, bootTime);
        }
        catch
        {
            if (hypervisor is not null)
            {
                await hypervisor.DisposeAsync();
            }

            Directory.Delete(work, recursive: true);
            throw;
        }
    }

    public static string ConsoleTail(IHypervisor hypervisor, int lines = 30)
    {
        if (hypervisor.ConsoleLogPath is not { } path || !File.Exists(path))
        {
            return string.Empty;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var all = reader.ReadToEnd().Split('\n');
        return string.Join('\n', all.TakeLast(lines));
    }

    /// <summary>Attaches the busybox image, creates a container running <paramref name="args"/> and starts it.</summary>
    public async Task RunContainerAsync(string id, string[] args, bool terminal = false, IReadOnlyList<OciMount>? mounts = null, CancellationToken cancellationToken = default)
    {
        var image = await Images.GetOrBuildAsync(Rootfs, cancellationToken);
        var attachment = await Hypervisor.HotplugBlockDeviceAsync(new BlockDevice { Id = "rootfs-" + id, Path = image.Path, ReadOnly = true }, cancellationToken);
        string lower = $"/run/kata-containers/sandbox/layers/{id}";
        string rootfs = $"/run/kata-containers/{id}/rootfs";
        var request = new CreateContainerRequest
        {
            ContainerId = id,
            ExecId = id,
            Storages =
            [
                new Storage
                {
                    Driver = attachment.Driver == GuestBlockDriver.VirtioScsi ? "scsi" : "blk",
                    Source = attachment.GuestAddress.ToString(),
                    FsType = "erofs",
                    Options = ["ro"],
                    MountPoint = lower,
                },
                new Storage { Driver = "overlayfs", Source = "overlay", FsType = "overlay", Options = ["lowerdir=" + lower], MountPoint = rootfs },
            ],
            Spec = new OciSpec
            {
                Version = "1.0.2",
                Hostname = "sealpod-" + id,
                Root = new OciRoot { Path = rootfs },
                Process = new OciProcess
                {
                    Terminal = terminal,
                    Args = args,
                    Env = ["PATH=/bin", "HOME=/root"],
                    Cwd = "/",
                    User = new OciUser { Uid = 0, Gid = 0 },
                },
                Mounts = mounts ?? [],
            },
        };
        await Agent.CreateContainerAsync(request, TimeSpan.FromSeconds(120), cancellationToken);
        _containers.Add(id);
        await Agent.StartContainerAsync(id, cancellationToken);
    }

    /// <summary>Runs a container (as <see cref="RunContainerAsync"/>) to its end: its whole stdout as text and its exit status.</summary>
    public async Task<(string Stdout, int Status)> RunToEndAsync(string id, string[] args, IReadOnlyList<OciMount>? mounts = null, CancellationToken cancellationToken = default)
    {
        await RunContainerAsync(id, args, mounts: mounts, cancellationToken: cancellationToken);
        string stdout = Encoding.UTF8.GetString(await ReadAllAsync(id, string.Empty, cancellationToken: cancellationToken));
        return (stdout, await Agent.WaitProcessAsync(id, string.Empty, cancellationToken));
    }

    /// <summary>
    /// The mount at <c>/</c> in a mountinfo text (the last, the one on top, when several are stacked there), failing
    /// the test when there is none: its device numbers, mount options and file system type.
    /// </summary>
    public static (string Device, string Options, string FileSystem) RootMount(string mountinfo)
    {
        var fields = mountinfo.Split('\n').Select(line => line.Split(' ')).LastOrDefault(f => f.Length > 9 && f[4] == "/");
        Assert.True(fields is not null, "no mount at / in this mountinfo:\n" + mountinfo);
        return (fields[2], fields[5], fields[Array.IndexOf(fields, "-") + 1]);
    }

    /// <summary>A read-only bind of the guest's own <paramref name="source"/> into a container, so a probe can read what the agent sees.</summary>
    public static OciMount GuestBind(string source, string destination, bool recursive = false) =>
        new() { Source = source, Destination = destination, Type = "bind", Options = [recursive ? "rbind" : "bind", "ro"] };

    /// <summary>Runs <paramref name="args"/> as process <paramref name="execId"/> in container <paramref name="id"/>: its stdout and exit status.</summary>
    public async Task<(byte[] Stdout, int Status)> ExecAsync(string id, string execId, string[] args, CancellationToken cancellationToken = default)
    {
        await Agent.ExecProcessAsync(
            id,
            execId,
            new OciProcess { Args = args, Env = ["PATH=/bin"], Cwd = "/", User = new OciUser() },
            cancellationToken);
        var stdout = await ReadAllAsync(id, execId, cancellationToken: cancellationToken);
        return (stdout, await Agent.WaitProcessAsync(id, execId, cancellationToken));
    }

    /// <summary>SIGKILLs the init of container <paramref name="id"/>, waits for it and removes the container: the init's exit status.</summary>
    public async Task<int> KillContainerAsync(string id, CancellationToken cancellationToken = default)
    {
        await Agent.SignalProcessAsync(id, string.Empty, 9, cancellationToken);
        int status = await Agent.WaitProcessAsync(id, string.Empty, cancellationToken);
        await Agent.RemoveContainerAsync(id, TimeSpan.FromSeconds(10), cancellationToken);
        return status;
    }

    /// <summary>Reads one of a process's streams to its end.</summary>
    public async Task<byte[]> ReadAllAsync(string id, string execId, bool stderr = false, CancellationToken cancellationToken = default)
    {
        using var output = new MemoryStream();
        while (true)
        {
            var chunk = stderr
                ? await Agent.ReadStderrAsync(id, execId, 64 * 1024, cancellationToken)
                : await Agent.ReadStdoutAsync(id, execId, 64 * 1024, cancellationToken);
            if (chunk.IsEmpty)
            {
                return output.ToArray();
            }

            output.Write(chunk.Span);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Agent.DisposeAsync();
        }
        finally
        {
            await Hypervisor.DisposeAsync();
            Directory.Delete(Work, recursive: true);
        }
    }

    private static Sealpod.AgentClient.Transport.AgentEndpoint ToClientEndpoint(Sealpod.Vmm.AgentEndpoint endpoint) => endpoint switch
    {
        VirtioSerialAgentEndpoint serial => new SerialEndpoint(serial.SocketPath),
        VsockAgentEndpoint vsock => new VsockEndpoint(vsock.Cid, vsock.Port),
        HybridVsockAgentEndpoint hybrid => new HybridVsockEndpoint(hybrid.SocketPath, hybrid.Port),
        _ => throw new ArgumentException($"unknown agent endpoint {endpoint}"),
    };
}
