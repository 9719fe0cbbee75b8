using CliWrap;
using Sealpod.CriHarness;

namespace Sealpod.IntegrationTests;

/// <summary>Runs a program to completion with optional stdin bytes; a timeout kills it (and fails the test).</summary>
internal static class Command
{
    public static async Task<CommandResult> RunAsync(string file, IEnumerable<string> args, byte[]? stdin = null, IDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var stdout = new MemoryStream();

        // A program that stops reading its stdin early is not an error: what it did with the rest is the test's business.
        var (exitCode, stderr) = await Tool.RunAsync(
            file, args, stdin is null ? PipeSource.Null : PipeSource.FromBytes(stdin), PipeTarget.ToStream(stdout), environment, timeout, CancellationToken.None);
        return new CommandResult(exitCode, stdout.ToArray(), stderr);
    }
}
