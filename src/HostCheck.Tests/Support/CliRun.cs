namespace Sealpod.HostCheck.Tests.Support;

/// <summary>Runs the CLI in-process against a probe and captures what it prints.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error)
{
    public static async Task<CliRun> RunAsync(IHostProbe probe, bool color = false, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var host = new CliHost
        {
            Probe = probe,
            ConfigLoader = new SealpodConfigLoader(),
            Out = stdout,
            Error = stderr,
            Color = color,
            SearchPath = HostRun.FixturePath,
            ConfigDirectory = Path.Combine(FixturePaths.Directory, "configs"),
        };
        var exit = await SealpodCli.RunAsync(args, host);
        return new CliRun(exit, stdout.ToString(), stderr.ToString());
    }

    public static Task<CliRun> RunAsync(string fixtureHost, params string[] args) => RunAsync(new FixtureHostProbe(fixtureHost), false, args);
}
