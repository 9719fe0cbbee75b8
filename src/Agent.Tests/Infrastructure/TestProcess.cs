using Sealpod.Linux.IO;

namespace Sealpod.Agent.Tests.Infrastructure;

/// <summary>
/// The one poller and the one child reaper of the test process. A process may have only one reaper
/// (it waits for any child), so every test shares these; they live until the test host exits.
/// Nothing in the tests may use System.Diagnostics.Process, whose children the reaper would take.
/// </summary>
internal static class TestProcess
{
    private static readonly Lazy<FdPoller> LazyPoller = new(() => new FdPoller());
    private static readonly Lazy<ChildReaper> LazyReaper = new(ChildReaper.Start);

    public static FdPoller Poller => LazyPoller.Value;

    public static ChildReaper Reaper => LazyReaper.Value;

    public static CommandRunner Runner => new(Reaper, Poller);

    /// <summary>Runs a host command to completion and returns its result.</summary>
    public static Task<CommandResult> RunAsync(string path, params string[] arguments) =>
        Runner.RunAsync(new SpawnRequest(path, arguments));

    /// <summary>Runs a host command and fails the test unless it succeeds.</summary>
    public static async Task<string> RunCheckedAsync(string path, params string[] arguments)
    {
        var result = await RunAsync(path, arguments);
        Assert.True(result.Succeeded, $"{path} {string.Join(' ', arguments)} failed ({result.Status}): {result.StandardError}");
        return result.StandardOutput;
    }
}
