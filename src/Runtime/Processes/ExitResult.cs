namespace Sealpod.Runtime.Processes;

/// <summary>How a process ended: its status (exit code, or 128+signal) and when the exit was seen.</summary>
public readonly record struct ExitResult(uint Status, DateTimeOffset ExitedAt)
{
    /// <summary>What a process is reported with when its VM died under it (Kata reports 255 too).</summary>
    public const uint VmDiedStatus = 255;
}
