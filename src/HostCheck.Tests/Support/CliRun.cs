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

    /// <summary>
    /// Runs a <c>--json</c> command on <paramref name="fixtureHost"/>, asserts it exits with <paramref name="exitCode"/>,
    /// and returns what it printed, parsed (a parse error fails the test: nothing but JSON may be printed).
    /// </summary>
    public static async Task<JsonElement> JsonAsync(string fixtureHost, int exitCode, params string[] args)
    {
        var run = await RunAsync(fixtureHost, args);
        Assert.Equal(exitCode, run.ExitCode);
        return run.Json();
    }

    /// <summary>The check <paramref name="id"/> of a <c>check --json</c> report.</summary>
    public static JsonElement CheckOf(JsonElement report, string id) =>
        report.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("id").GetString() == id);

    /// <summary>What the command printed on stdout, parsed as JSON.</summary>
    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Out);
        return document.RootElement.Clone();
    }
}
