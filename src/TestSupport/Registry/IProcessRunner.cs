namespace Sealpod.TestSupport.Registry;

/// <summary>
/// How a test helper runs a program to completion: the seam between the helpers and the test process's way of
/// running children. Agent.Tests must go through its reaper-aware TestProcess (the agent's ChildReaper waits for
/// any child and would steal System.Diagnostics.Process's exit statuses); every other project uses
/// <see cref="SystemProcessRunner"/>.
/// </summary>
public interface IProcessRunner
{
    /// <param name="program">An absolute path: no PATH look-up happens.</param>
    Task<ProcessOutcome> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken);
}

/// <summary>A finished program: its exit code (a signal as 128 + number) and what it wrote.</summary>
public sealed record ProcessOutcome(int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Returns the standard output, or throws naming the command and its standard error.</summary>
    public string EnsureSuccess(string program, IReadOnlyList<string> arguments) => Succeeded
        ? StandardOutput
        : throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited {ExitCode}: {StandardError.Trim()}");
}
