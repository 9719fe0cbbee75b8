using CliWrap;
using CliWrap.Buffered;

namespace Sealpod.Protos.Tests.Interop;

/// <summary>Runs a helper program to completion, killing it if it outlives its time limit.</summary>
internal static class ExternalProcess
{
    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? standardInput = null,
        TimeSpan? timeLimit = null)
    {
        var command = Cli.Wrap(fileName)
            .WithArguments(arguments)
            .WithEnvironmentVariables(environment ?? new Dictionary<string, string?>())
            .WithStandardInputPipe(standardInput is null ? PipeSource.Null : PipeSource.FromString(standardInput))
            .WithValidation(CommandResultValidation.None);
        if (workingDirectory is not null)
        {
            command = command.WithWorkingDirectory(workingDirectory);
        }

        // A safety net against a hung helper (it is killed), not a performance assertion.
        using var limit = new CancellationTokenSource(timeLimit ?? TimeSpan.FromMinutes(5));
        try
        {
            var result = await command.ExecuteBufferedAsync(limit.Token);
            return new ProcessResult(result.ExitCode, result.StandardOutput, result.StandardError);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish in time.");
        }
    }
}
