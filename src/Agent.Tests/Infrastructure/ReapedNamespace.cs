namespace Sealpod.Agent.Tests.Infrastructure;

/// <summary>
/// A private network namespace for the agent's network tests, driven with `ip` through <see cref="TestProcess"/>.
/// Not TestSupport's TestNamespace: this test process reaps every child with waitpid(-1) (as the agent does as
/// PID 1), so a System.Diagnostics.Process child can lose its exit status to that reaper and WaitForExit never
/// returns.
/// </summary>
internal sealed class ReapedNamespace : IAsyncDisposable
{
    private ReapedNamespace(string name) => Name = name;

    public string Name { get; }

    public string Path => $"/var/run/netns/{Name}";

    public static async Task<ReapedNamespace> CreateAsync()
    {
        var space = new ReapedNamespace($"sp-agnet-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
        await TestProcess.RunCheckedAsync("/bin/ip", "netns", "add", space.Name);
        return space;
    }

    /// <summary>Runs `ip -n NAME ...` and returns its standard output; fails the test if it fails.</summary>
    public Task<string> IpAsync(params string[] arguments) => TestProcess.RunCheckedAsync("/bin/ip", ["-n", Name, .. arguments]);

    public async ValueTask DisposeAsync() => await TestProcess.RunAsync("/bin/ip", "netns", "del", Name);
}
