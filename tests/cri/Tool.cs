using CliWrap;

namespace Sealpod.CriHarness;

/// <summary>Runs a helper program to completion; a timeout kills it and throws.</summary>
public static class Tool
{
    public static async Task<ToolResult> RunAsync(
        string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken = default, TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(120);
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var command = Cli.Wrap(program)
            .WithArguments(arguments)
            .WithEnvironmentVariables(builder =>
            {
                foreach (var (key, value) in environment ?? new Dictionary<string, string>())
                {
                    builder.Set(key, value);
                }
            })
            .WithStandardOutputPipe(PipeTarget.ToStringBuilder(stdout))
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(stderr))
            .WithValidation(CommandResultValidation.None);

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(limit);
        try
        {
            var result = await command.ExecuteAsync(bounded.Token).ConfigureAwait(false);
            return new ToolResult(program, arguments, result.ExitCode, stdout.ToString(), stderr.ToString());
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within {limit.TotalSeconds} s");
        }
    }
}
