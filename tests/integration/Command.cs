using CliWrap;

namespace Sealpod.IntegrationTests;

/// <summary>Runs a program to completion with optional stdin bytes; a timeout kills it (and fails the test).</summary>
internal static class Command
{
    public static async Task<CommandResult> RunAsync(string file, IEnumerable<string> args, byte[]? stdin = null, IDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(120);
        var stdout = new MemoryStream();
        var stderr = new StringBuilder();
        // A program that stops reading its stdin early is not an error: what it did with the rest is the test's business.
        var command = Cli.Wrap(file)
            .WithArguments(args)
            .WithEnvironmentVariables(builder =>
            {
                foreach (var (key, value) in environment ?? new Dictionary<string, string>())
                {
                    builder.Set(key, value);
                }
            })
            .WithStandardInputPipe(stdin is null ? PipeSource.Null : PipeSource.FromBytes(stdin))
            .WithStandardOutputPipe(PipeTarget.ToStream(stdout))
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(stderr))
            .WithValidation(CommandResultValidation.None);

        using var cancel = new CancellationTokenSource(limit);
        try
        {
            var result = await command.ExecuteAsync(cancel.Token);
            return new CommandResult(result.ExitCode, stdout.ToArray(), stderr.ToString());
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {limit.TotalSeconds} s");
        }
    }
}
