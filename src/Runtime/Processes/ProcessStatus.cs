namespace Sealpod.Runtime.Processes;

/// <summary>Where a process is in its life; the values containerd reports, plus the internal end state.</summary>
public enum ProcessStatus
{
    Created,
    Running,
    Paused,
    Stopped,

    /// <summary>Deleted: gone from containerd's point of view; every call on it is NotFound.</summary>
    Deleted,
}
