using CliWrap;

namespace Sealpod.CriHarness;

/// <summary>Runs a helper program to completion; a timeout kills it and throws.</summary>
public static class Tool
{
    public static async Task<ToolResult> RunAsync(
        string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken = default, TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var stdout = new StringBuilder();
        var (exitCode, stderr) = await RunAsync(program, arguments, PipeSource.Null, PipeTarget.ToStringBuilder(stdout), environment, timeout, cancellationToken).ConfigureAwait(false);
        return new ToolResult(program, arguments, exitCode, stdout.ToString(), stderr);
    }

    /// <summary>
    /// Runs <paramref name="program"/> with its stdin from <paramref name="stdin"/> and its stdout into
    /// <paramref name="stdout"/>, with <paramref name="environment"/> added to this process's, for at most
    /// <paramref name="timeout"/> (120 s when null); returns its exit status and stderr. A nonzero status is not an
    /// error here: what it means is the caller's business.
    /// </summary>
    /// <exception cref="TimeoutException">The program did not finish in time; it was killed.</exception>
    public static async Task<(int ExitCode, string Stderr)> RunAsync(
        string program, IEnumerable<string> arguments, PipeSource stdin, PipeTarget stdout, IEnumerable<KeyValuePair<string, string>>? environment, TimeSpan? timeout,
        CancellationToken cancellationToken)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(120);
        var stderr = new StringBuilder();
        var command = Cli.Wrap(program)
            .WithArguments(arguments)
            .WithEnvironmentVariables(builder =>
            {
                foreach (var (key, value) in environment ?? [])
                {
                    builder.Set(key, value);
                }
            })
            .WithStandardInputPipe(stdin)
            .WithStandardOutputPipe(stdout)
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(stderr))
            .WithValidation(CommandResultValidation.None);

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(limit);
        try
        {
            var result = await command.ExecuteAsync(bounded.Token).ConfigureAwait(false);
            return (result.ExitCode, stderr.ToString());
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within {limit.TotalSeconds} s");
        }
    }
}
