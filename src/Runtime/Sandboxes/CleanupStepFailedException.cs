namespace Sealpod.Runtime.Sandboxes;

/// <summary>One step of a teardown failed; <see cref="Step"/> says which ("unmount the share" ...).</summary>
public sealed class CleanupStepFailedException : Exception
{
    public CleanupStepFailedException(string step, Exception innerException)
        : base($"{step}: {innerException?.Message}", innerException)
    {
        Step = step;
    }

    public string Step { get; }
}
