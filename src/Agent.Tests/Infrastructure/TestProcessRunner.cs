namespace Sealpod.Agent.Tests.Infrastructure;

/// <summary>TestSupport's process seam over <see cref="TestProcess"/>, so shared helpers never spawn behind the reaper's back.</summary>
internal sealed class TestProcessRunner : IProcessRunner
{
    public static readonly TestProcessRunner Instance = new();

    public async Task<ProcessOutcome> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var result = await TestProcess.Runner.RunAsync(new Sealpod.Agent.Processes.SpawnRequest(program, [.. arguments]), cancellationToken);
        return new ProcessOutcome(result.Status.Signal != 0 ? 128 + result.Status.Signal : result.Status.Code, result.StandardOutput, result.StandardError);
    }
}
