namespace Sealpod.Agent.Processes;

/// <summary>The exit status and captured output of a finished command.</summary>
internal sealed record CommandResult(ExitStatus Status, string StandardOutput, string StandardError)
{
    public bool Succeeded => Status is { Code: 0, Signal: 0 };
}
