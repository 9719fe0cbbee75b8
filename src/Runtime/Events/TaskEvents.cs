namespace Sealpod.Runtime.Events;

/// <summary>A container was created (its init process exists, not yet started).</summary>
public sealed record TaskCreated(string ContainerId, string Bundle, IReadOnlyList<RootfsMount> Rootfs, ProcessIoPaths Io, uint Pid)
    : RuntimeEvent(ContainerId)
{
    public override string Topic => EventTopics.TaskCreate;
}

/// <summary>A container's init process started.</summary>
public sealed record TaskStarted(string ContainerId, uint Pid) : RuntimeEvent(ContainerId)
{
    public override string Topic => EventTopics.TaskStart;
}

/// <summary>A process exited. <paramref name="ProcessId"/> is the exec id, or the container id for the init process.</summary>
public sealed record TaskExited(string ContainerId, string ProcessId, uint Pid, uint ExitStatus, DateTimeOffset ExitedAt)
    : RuntimeEvent(ContainerId)
{
    public override string Topic => EventTopics.TaskExit;
}

/// <summary>A process was deleted. <paramref name="ExecId"/> is empty for the init process.</summary>
public sealed record TaskDeleted(string ContainerId, string ExecId, uint Pid, uint ExitStatus, DateTimeOffset ExitedAt)
    : RuntimeEvent(ContainerId)
{
    public override string Topic => EventTopics.TaskDelete;
}

/// <summary>An exec process was registered.</summary>
public sealed record TaskExecAdded(string ContainerId, string ExecId) : RuntimeEvent(ContainerId)
{
    public override string Topic => EventTopics.TaskExecAdded;
}

/// <summary>An exec process started.</summary>
public sealed record TaskExecStarted(string ContainerId, string ExecId, uint Pid) : RuntimeEvent(ContainerId)
{
    public override string Topic => EventTopics.TaskExecStarted;
}

/// <summary>A container was frozen.</summary>
public sealed record TaskPaused(string ContainerId) : RuntimeEvent(ContainerId)
{
    public override string Topic => EventTopics.TaskPaused;
}

/// <summary>A container was thawed.</summary>
public sealed record TaskResumed(string ContainerId) : RuntimeEvent(ContainerId)
{
    public override string Topic => EventTopics.TaskResumed;
}

/// <summary>The guest reported that a container hit its memory limit.</summary>
public sealed record TaskOom(string ContainerId) : RuntimeEvent(ContainerId)
{
    public override string Topic => EventTopics.TaskOom;
}
