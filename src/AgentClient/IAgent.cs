namespace Sealpod.AgentClient;

/// <summary>
/// The guest agent, in the runtime's own types, grouped as runtime-rs's agent crate groups its calls: health,
/// sandbox, container, process, io. <see cref="AgentConnector"/> returns the real one (Kata's agent protocol over
/// ttrpc, translated in Kata/Translation); the wire types never leave this project. Tests of the layers above that
/// cannot boot a VM substitute their own.
/// </summary>
/// <remarks>
/// A call the agent refuses fails with <see cref="Rpc.RpcException"/> carrying its status; a call that fails because
/// the VM died or the connection broke fails with <see cref="AgentUnreachableException"/>, with the guest console's tail.
/// </remarks>
public interface IAgent : IAsyncDisposable
{
    // ---- health

    Task<AgentHealth> CheckAsync(TimeSpan timeout, CancellationToken cancellationToken = default);

    Task<AgentVersion> VersionAsync(CancellationToken cancellationToken = default);

    // ---- sandbox

    Task CreateSandboxAsync(CreateSandboxRequest request, CancellationToken cancellationToken = default);

    Task DestroySandboxAsync(CancellationToken cancellationToken = default);

    Task SetGuestDateTimeAsync(DateTimeOffset now, CancellationToken cancellationToken = default);

    Task CopyFileAsync(CopyFileRequest request, CancellationToken cancellationToken = default);

    // ---- network (before CreateSandbox)

    /// <summary>Configures the guest NIC with <see cref="GuestInterface.HardwareAddress"/>: name, MTU, exactly its addresses, up.</summary>
    Task UpdateInterfaceAsync(GuestInterface wanted, CancellationToken cancellationToken = default);

    /// <summary>Replaces the guest's routes (all but those the kernel installed for its addresses) with <paramref name="routes"/>.</summary>
    Task UpdateRoutesAsync(IReadOnlyList<GuestRoute> routes, CancellationToken cancellationToken = default);

    /// <summary>Adds the pod's static neighbours to the guest as permanent entries.</summary>
    Task AddArpNeighborsAsync(IReadOnlyList<GuestNeighbour> neighbours, CancellationToken cancellationToken = default);

    /// <summary>Long poll: the id of the next container that hit OOM.</summary>
    Task<string> GetOomEventAsync(CancellationToken cancellationToken = default);

    // ---- container

    Task CreateContainerAsync(CreateContainerRequest request, TimeSpan timeout, CancellationToken cancellationToken = default);

    Task StartContainerAsync(string containerId, CancellationToken cancellationToken = default);

    /// <summary>Removes the container; the agent gets <paramref name="timeout"/> to stop its processes, the call a little more.</summary>
    Task RemoveContainerAsync(string containerId, TimeSpan timeout, CancellationToken cancellationToken = default);

    Task PauseContainerAsync(string containerId, CancellationToken cancellationToken = default);

    Task ResumeContainerAsync(string containerId, CancellationToken cancellationToken = default);

    Task UpdateContainerAsync(string containerId, OciLinuxResources resources, CancellationToken cancellationToken = default);

    Task<ContainerStats> StatsContainerAsync(string containerId, CancellationToken cancellationToken = default);

    // ---- process

    /// <summary>Starts <paramref name="process"/> in the running container <paramref name="containerId"/> as <paramref name="execId"/>.</summary>
    Task ExecProcessAsync(string containerId, string execId, OciProcess process, CancellationToken cancellationToken = default);

    /// <summary>Signals one process; an empty <paramref name="execId"/> signals every process of the container.</summary>
    Task SignalProcessAsync(string containerId, string execId, uint signal, CancellationToken cancellationToken = default);

    /// <summary>Long poll: the exit status (code, or 128+signal) once the process ends.</summary>
    Task<int> WaitProcessAsync(string containerId, string execId, CancellationToken cancellationToken = default);

    // ---- io

    /// <summary>Writes to the process's stdin; returns how many bytes the agent took.</summary>
    Task<int> WriteStdinAsync(string containerId, string execId, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);

    /// <summary>Long poll for up to <paramref name="maxLength"/> bytes of stdout; empty means end of stream.</summary>
    Task<ReadOnlyMemory<byte>> ReadStdoutAsync(string containerId, string execId, int maxLength, CancellationToken cancellationToken = default);

    /// <summary>Long poll for up to <paramref name="maxLength"/> bytes of stderr; empty means end of stream.</summary>
    Task<ReadOnlyMemory<byte>> ReadStderrAsync(string containerId, string execId, int maxLength, CancellationToken cancellationToken = default);

    Task CloseStdinAsync(string containerId, string execId, CancellationToken cancellationToken = default);

    Task TtyWinResizeAsync(string containerId, string execId, uint rows, uint columns, CancellationToken cancellationToken = default);
}
