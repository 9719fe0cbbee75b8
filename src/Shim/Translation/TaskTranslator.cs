using Sealpod.Protos;
using Sealpod.Protos.Containerd.Task.V2;
using Sealpod.Protos.RuntimeOptions.V1;
using Sealpod.Runtime.Errors;
using Sealpod.Runtime.IO;
using Sealpod.Runtime.Processes;
using Sealpod.Runtime.Rootfs;
using ContainerdStatus = Sealpod.Protos.Containerd.Types.V1.Status;

namespace Sealpod.Shim.Translation;

/// <summary>containerd's Task API messages to and from the sandbox layer's domain types.</summary>
public static class TaskTranslator
{
    public static ContainerCreateRequest ToDomain(CreateTaskRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!string.IsNullOrEmpty(request.Checkpoint) || !string.IsNullOrEmpty(request.ParentCheckpoint))
        {
            throw new UnimplementedException("creating a task from a checkpoint is not supported");
        }

        var (configPath, configBody) = ConfigFromOptions(request.Options);
        var rootfs = request.Rootfs.Select(m => new RootfsMount(m.Type, m.Source, m.Options.ToArray())).ToArray();
        return new ContainerCreateRequest(
            request.Id,
            request.Bundle,
            rootfs,
            new ProcessIoPaths(request.Stdin, request.Stdout, request.Stderr, request.Terminal),
            configPath,
            configBody);
    }

    /// <summary>
    /// The configuration the runtime options name: <c>runtimeoptions.v1.Options</c> (ctr's
    /// <c>--runtime-config-path</c>, CRI's <c>ConfigPath</c>) or the same message under its old CRI name.
    /// Other options (runc's, which CRI's default handler may send) carry nothing for us and are ignored.
    /// </summary>
    public static (string? Path, string? Body) ConfigFromOptions(Any? options)
    {
        if (options is null || string.IsNullOrEmpty(options.TypeUrl))
        {
            return (null, null);
        }

        string name = TypeUrls.MessageName(options.TypeUrl);
        if (name is not (TypeUrls.RuntimeOptions or TypeUrls.LegacyCriRuntimeOptions))
        {
            return (null, null);
        }

        Options parsed;
        try
        {
            parsed = Options.Parser.ParseFrom(options.Value);
        }
        catch (Google.Protobuf.InvalidProtocolBufferException e)
        {
            throw new InvalidArgumentException($"runtime options {options.TypeUrl} do not parse: {e.Message}", e);
        }

        return (NullIfEmpty(parsed.ConfigPath), parsed.ConfigBody.IsEmpty ? null : parsed.ConfigBody.ToStringUtf8());
    }

    public static ProcessIoPaths ToIo(ExecProcessRequest request) =>
        new(request.Stdin, request.Stdout, request.Stderr, request.Terminal);

    public static ContainerdStatus ToStatus(ProcessStatus status) => status switch
    {
        ProcessStatus.Created => ContainerdStatus.Created,
        ProcessStatus.Running => ContainerdStatus.Running,
        ProcessStatus.Paused => ContainerdStatus.Paused,
        ProcessStatus.Stopped => ContainerdStatus.Stopped,
        _ => ContainerdStatus.Unknown,
    };

    public static StateResponse ToState(Container container, GuestProcess process)
    {
        var state = new StateResponse
        {
            Id = container.Id,
            Bundle = container.Bundle.Directory,
            Pid = process.Pid,
            Status = ToStatus(process.Status),
            Stdin = process.IoPaths.Stdin,
            Stdout = process.IoPaths.Stdout,
            Stderr = process.IoPaths.Stderr,
            Terminal = process.IoPaths.Terminal,
            ExecId = process.ExecId,
        };
        if (process.Exit is { } exit)
        {
            state.ExitStatus = exit.Status;
            state.ExitedAt = Timestamp.FromDateTimeOffset(exit.ExitedAt);
        }

        return state;
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
