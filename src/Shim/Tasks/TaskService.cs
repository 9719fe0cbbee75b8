using Sealpod.Protos;
using Sealpod.Protos.Containerd.Task.V2;
using Sealpod.Protos.Containerd.Types.V1;
using Sealpod.Runtime.Diagnostics;
using Sealpod.Runtime.Errors;
using Sealpod.Runtime.Translation;
using Sealpod.Shim.Hosting;
using Sealpod.Shim.Translation;

namespace Sealpod.Shim.Tasks;

/// <summary>
/// containerd's Task API over the sandbox layer. Each call looks the container up, delegates, queues its
/// event and lets <see cref="ErrorClassifier"/> choose the status code; nothing else happens here. Events
/// whose order depends on a process's exit (start, exec-started, exit) are queued by the processes themselves.
/// </summary>
public sealed partial class TaskService
{
    /// <summary>Task API v2 (containerd 1.6 to 2.2 ask for it) and v3 (2.x); same messages.</summary>
    public static readonly IReadOnlyList<string> ServiceNames = ["containerd.task.v2.Task", "containerd.task.v3.Task"];

    private readonly SandboxHost _host;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource<bool> _shutdown = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskService(SandboxHost host, ILogger logger)
    {
        _host = host ?? throw new ArgumentNullException(nameof(host));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Completes when containerd asked the shim to go (true: <c>now</c>, without waiting for anything).</summary>
    public Task<bool> ShutdownRequested => _shutdown.Task;

    private EventQueue Events => _host.Events;

    public void Register(TtrpcServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        foreach (var name in ServiceNames)
        {
            server.AddService(name)
                .AddUnary("Create", CreateTaskRequest.Parser, Handle<CreateTaskRequest, CreateTaskResponse>("Create", r => r.Id, CreateAsync))
                .AddUnary("Start", StartRequest.Parser, Handle<StartRequest, StartResponse>("Start", r => r.Id, StartAsync))
                .AddUnary("Delete", DeleteRequest.Parser, Handle<DeleteRequest, DeleteResponse>("Delete", r => r.Id, DeleteAsync))
                .AddUnary("State", StateRequest.Parser, Handle<StateRequest, StateResponse>("State", r => r.Id, StateAsync))
                .AddUnary("Wait", WaitRequest.Parser, Handle<WaitRequest, WaitResponse>("Wait", r => r.Id, WaitAsync))
                .AddUnary("Kill", KillRequest.Parser, Handle<KillRequest, Empty>("Kill", r => r.Id, KillAsync))
                .AddUnary("Exec", ExecProcessRequest.Parser, Handle<ExecProcessRequest, Empty>("Exec", r => r.Id, ExecAsync))
                .AddUnary("ResizePty", ResizePtyRequest.Parser, Handle<ResizePtyRequest, Empty>("ResizePty", r => r.Id, ResizePtyAsync))
                .AddUnary("CloseIO", CloseIORequest.Parser, Handle<CloseIORequest, Empty>("CloseIO", r => r.Id, CloseIoAsync))
                .AddUnary("Pids", PidsRequest.Parser, Handle<PidsRequest, PidsResponse>("Pids", r => r.Id, PidsAsync))
                .AddUnary("Pause", PauseRequest.Parser, Handle<PauseRequest, Empty>("Pause", r => r.Id, PauseAsync))
                .AddUnary("Resume", ResumeRequest.Parser, Handle<ResumeRequest, Empty>("Resume", r => r.Id, ResumeAsync))
                .AddUnary("Update", UpdateTaskRequest.Parser, Handle<UpdateTaskRequest, Empty>("Update", r => r.Id, UpdateAsync))
                .AddUnary("Stats", StatsRequest.Parser, Handle<StatsRequest, StatsResponse>("Stats", r => r.Id, StatsAsync))
                .AddUnary("Connect", ConnectRequest.Parser, Handle<ConnectRequest, ConnectResponse>("Connect", r => r.Id, ConnectAsync))
                .AddUnary("Shutdown", ShutdownRequest.Parser, Handle<ShutdownRequest, Empty>("Shutdown", r => r.Id, ShutdownAsync))
                .AddUnary("Checkpoint", CheckpointTaskRequest.Parser, Handle<CheckpointTaskRequest, Empty>("Checkpoint", r => r.Id, CheckpointAsync));
        }
    }

    internal async Task<CreateTaskResponse> CreateAsync(CreateTaskRequest request, CancellationToken cancellationToken)
    {
        var timeline = new StartupTimeline();
        var domain = TaskTranslator.ToDomain(request);
        var container = await _host.CreateAsync(domain, timeline, cancellationToken).ConfigureAwait(false);
        Events.Enqueue(new TaskCreated(container.Id, container.Bundle.Directory, container.RootfsMounts, container.Init.IoPaths, container.Init.Pid));
        return new CreateTaskResponse { Pid = container.Init.Pid };
    }

    internal async Task<StartResponse> StartAsync(StartRequest request, CancellationToken cancellationToken)
    {
        var timeline = new StartupTimeline();
        var container = _host.GetContainer(request.Id);
        if (string.IsNullOrEmpty(request.ExecId))
        {
            await timeline.MeasureAsync("start-container", external: true, () => container.Init.StartAsync(cancellationToken)).ConfigureAwait(false);
        }
        else
        {
            var exec = container.GetExec(request.ExecId);
            await timeline.MeasureAsync("exec-process", external: true, () => exec.StartAsync(cancellationToken)).ConfigureAwait(false);
        }

        LogStarted(_logger, request.Id, request.ExecId, timeline.Format());
        return new StartResponse { Pid = container.Init.Pid };
    }

    internal async Task<DeleteResponse> DeleteAsync(DeleteRequest request, CancellationToken cancellationToken)
    {
        var (process, exit) = await _host.DeleteAsync(request.Id, request.ExecId, cancellationToken).ConfigureAwait(false);
        Events.Enqueue(new TaskDeleted(request.Id, request.ExecId, process.Pid, exit.Status, exit.ExitedAt));
        return new DeleteResponse { Pid = process.Pid, ExitStatus = exit.Status, ExitedAt = Timestamp.FromDateTimeOffset(exit.ExitedAt) };
    }

    internal Task<StateResponse> StateAsync(StateRequest request, CancellationToken cancellationToken)
    {
        var container = _host.GetContainer(request.Id);
        return Task.FromResult(TaskTranslator.ToState(container, container.GetProcess(request.ExecId)));
    }

    internal async Task<WaitResponse> WaitAsync(WaitRequest request, CancellationToken cancellationToken)
    {
        var process = _host.GetContainer(request.Id).GetProcess(request.ExecId);
        var exit = await process.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new WaitResponse { ExitStatus = exit.Status, ExitedAt = Timestamp.FromDateTimeOffset(exit.ExitedAt) };
    }

    internal async Task<Empty> KillAsync(KillRequest request, CancellationToken cancellationToken)
    {
        var container = _host.GetContainer(request.Id);
        if (string.IsNullOrEmpty(request.ExecId))
        {
            await container.Init.KillAsync(request.Signal, request.All, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await container.GetExec(request.ExecId).KillAsync(request.Signal, cancellationToken).ConfigureAwait(false);
        }

        return new Empty();
    }

    internal async Task<Empty> ExecAsync(ExecProcessRequest request, CancellationToken cancellationToken)
    {
        var container = _host.GetContainer(request.Id);
        if (request.Spec is null)
        {
            throw new InvalidArgumentException($"exec {request.ExecId} in container {request.Id}: the request has no process spec");
        }

        var spec = OciSpecTranslator.ToProcess(request.Spec.JsonPayload(TypeUrls.OciProcess), $"exec {request.ExecId} process");
        await container.AddExecAsync(request.ExecId, spec, TaskTranslator.ToIo(request), cancellationToken).ConfigureAwait(false);
        Events.Enqueue(new Runtime.Events.TaskExecAdded(request.Id, request.ExecId));
        return new Empty();
    }

    internal async Task<Empty> ResizePtyAsync(ResizePtyRequest request, CancellationToken cancellationToken)
    {
        var process = _host.GetContainer(request.Id).GetProcess(request.ExecId);
        await process.ResizePtyAsync(request.Width, request.Height, cancellationToken).ConfigureAwait(false);
        return new Empty();
    }

    internal Task<Empty> CloseIoAsync(CloseIORequest request, CancellationToken cancellationToken)
    {
        var process = _host.GetContainer(request.Id).GetProcess(request.ExecId);
        if (request.Stdin)
        {
            process.CloseStdin();
        }

        return Task.FromResult(new Empty());
    }

    // As Kata: the processes live in the VM, so the only host pid is the hypervisor's.
    internal Task<PidsResponse> PidsAsync(PidsRequest request, CancellationToken cancellationToken)
    {
        var container = _host.GetContainer(request.Id);
        return Task.FromResult(new PidsResponse { Processes = { new ProcessInfo { Pid = container.Init.Pid } } });
    }

    internal async Task<Empty> PauseAsync(PauseRequest request, CancellationToken cancellationToken)
    {
        await _host.GetContainer(request.Id).Init.PauseAsync(cancellationToken).ConfigureAwait(false);
        Events.Enqueue(new Runtime.Events.TaskPaused(request.Id));
        return new Empty();
    }

    internal async Task<Empty> ResumeAsync(ResumeRequest request, CancellationToken cancellationToken)
    {
        await _host.GetContainer(request.Id).Init.ResumeAsync(cancellationToken).ConfigureAwait(false);
        Events.Enqueue(new Runtime.Events.TaskResumed(request.Id));
        return new Empty();
    }

    internal async Task<Empty> UpdateAsync(UpdateTaskRequest request, CancellationToken cancellationToken)
    {
        var sandbox = _host.Sandbox ?? throw new NotFoundException($"container {request.Id} not found");
        if (request.Resources is null)
        {
            throw new InvalidArgumentException($"update of container {request.Id}: the request has no resources");
        }

        var resources = OciSpecTranslator.ToResources(request.Resources.JsonPayload(TypeUrls.OciLinuxResources), $"update of container {request.Id}: resources");
        await sandbox.UpdateContainerAsync(request.Id, resources, cancellationToken).ConfigureAwait(false);
        return new Empty();
    }

    internal async Task<StatsResponse> StatsAsync(StatsRequest request, CancellationToken cancellationToken)
    {
        var sandbox = _host.Sandbox ?? throw new NotFoundException($"container {request.Id} not found");
        var stats = await sandbox.StatsContainerAsync(request.Id, cancellationToken).ConfigureAwait(false);
        // The type URL written out: the message descriptor would build protobuf reflection data for nothing.
        return new StatsResponse { Stats = new Any { TypeUrl = TypeUrls.CgroupsV1Metrics, Value = MetricsTranslator.ToCgroupsV1(stats).ToByteString() } };
    }

    internal Task<ConnectResponse> ConnectAsync(ConnectRequest request, CancellationToken cancellationToken)
    {
        var container = _host.GetContainer(request.Id);
        return Task.FromResult(new ConnectResponse { ShimPid = (uint)Environment.ProcessId, TaskPid = container.Init.Pid, Version = ShimVersion.Version });
    }

    internal Task<Empty> ShutdownAsync(ShutdownRequest request, CancellationToken cancellationToken)
    {
        // Other containers of the pod may still be served; containerd asks again after the last delete.
        if (request.Now || !_host.HasContainers)
        {
            _shutdown.TrySetResult(request.Now);
        }

        return Task.FromResult(new Empty());
    }

    internal Task<Empty> CheckpointAsync(CheckpointTaskRequest request, CancellationToken cancellationToken) =>
        throw new UnimplementedException($"checkpoint of container {request.Id} is not supported: the container's memory is inside the VM");

    private Func<TRequest, TtrpcServerCallContext, ValueTask<TResponse>> Handle<TRequest, TResponse>(string method, Func<TRequest, string> id, Func<TRequest, CancellationToken, Task<TResponse>> body)
        where TRequest : IMessage<TRequest>
        where TResponse : IMessage =>
        async (request, context) =>
        {
            try
            {
                return await body(request, context.CancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                var answer = ErrorClassifier.ToRpcException(e);
                LogFailed(_logger, method, id(request), answer.StatusCode.ToString(), answer.Message);
                throw answer;
            }
        };

    [LoggerMessage(Level = LogLevel.Information, Message = "timing start {ContainerId} {ExecId}: {Timeline}")]
    private static partial void LogStarted(ILogger logger, string containerId, string execId, string timeline);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {ContainerId} failed with {Code}: {Message}")]
    private static partial void LogFailed(ILogger logger, string method, string containerId, string code, string message);
}
