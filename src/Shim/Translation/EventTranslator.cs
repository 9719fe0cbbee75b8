using Wire = Sealpod.Protos.Containerd.Events;
using ContainerdMount = Sealpod.Protos.Containerd.Types.Mount;

namespace Sealpod.Shim.Translation;

/// <summary>Domain task events as containerd's <c>containerd.events</c> messages.</summary>
public static class EventTranslator
{
    /// <summary>
    /// The event as containerd's Any: the bare type URL written out, not read from the message descriptor,
    /// whose first use would build protobuf reflection data the shim otherwise never needs.
    /// </summary>
    public static Any ToAny(RuntimeEvent runtimeEvent)
    {
        var message = ToMessage(runtimeEvent);
        return new Any { TypeUrl = TypeUrl(runtimeEvent), Value = message.ToByteString() };
    }

    public static string TypeUrl(RuntimeEvent runtimeEvent) => runtimeEvent switch
    {
        TaskCreated => "containerd.events.TaskCreate",
        TaskStarted => "containerd.events.TaskStart",
        TaskExited => "containerd.events.TaskExit",
        TaskDeleted => "containerd.events.TaskDelete",
        TaskExecAdded => "containerd.events.TaskExecAdded",
        TaskExecStarted => "containerd.events.TaskExecStarted",
        TaskPaused => "containerd.events.TaskPaused",
        TaskResumed => "containerd.events.TaskResumed",
        TaskOom => "containerd.events.TaskOOM",
        _ => throw new ArgumentException($"no containerd event for {runtimeEvent.GetType().Name}", nameof(runtimeEvent)),
    };

    public static IMessage ToMessage(RuntimeEvent runtimeEvent) => runtimeEvent switch
    {
        TaskCreated e => Create(e),
        TaskStarted e => new Wire.TaskStart { ContainerId = e.ContainerId, Pid = e.Pid },
        TaskExited e => new Wire.TaskExit { ContainerId = e.ContainerId, Id = e.ProcessId, Pid = e.Pid, ExitStatus = e.ExitStatus, ExitedAt = Timestamp.FromDateTimeOffset(e.ExitedAt) },
        TaskDeleted e => new Wire.TaskDelete { ContainerId = e.ContainerId, Id = e.ExecId, Pid = e.Pid, ExitStatus = e.ExitStatus, ExitedAt = Timestamp.FromDateTimeOffset(e.ExitedAt) },
        TaskExecAdded e => new Wire.TaskExecAdded { ContainerId = e.ContainerId, ExecId = e.ExecId },
        TaskExecStarted e => new Wire.TaskExecStarted { ContainerId = e.ContainerId, ExecId = e.ExecId, Pid = e.Pid },
        TaskPaused e => new Wire.TaskPaused { ContainerId = e.ContainerId },
        TaskResumed e => new Wire.TaskResumed { ContainerId = e.ContainerId },
        TaskOom e => new Wire.TaskOOM { ContainerId = e.ContainerId },
        _ => throw new ArgumentException($"no containerd event for {runtimeEvent.GetType().Name}", nameof(runtimeEvent)),
    };

    private static Wire.TaskCreate Create(TaskCreated e)
    {
        var create = new Wire.TaskCreate
        {
            ContainerId = e.ContainerId,
            Bundle = e.Bundle,
            Pid = e.Pid,
            Io = new Wire.TaskIO { Stdin = e.Io.Stdin, Stdout = e.Io.Stdout, Stderr = e.Io.Stderr, Terminal = e.Io.Terminal },
        };
        foreach (var mount in e.Rootfs)
        {
            var m = new ContainerdMount { Type = mount.Type, Source = mount.Source };
            m.Options.AddRange(mount.Options);
            create.Rootfs.Add(m);
        }

        return create;
    }
}
