namespace Sealpod.HostCheck.Tests.Support;

/// <summary>Runs the full check suite against a fixture host, optionally with a fixture configuration.</summary>
internal static class HostRun
{
    /// <summary>The PATH the checks use when a fixture host has no running containerd.</summary>
    public const string FixturePath = "/usr/local/bin:/usr/bin:/bin";

    public static async Task<CheckReport> CheckAsync(FixtureHostProbe probe, string? configFile = null)
    {
        ConfigLoadOutcome? config = null;
        if (configFile is not null)
        {
            config = await new SealpodConfigLoader().LoadAsync(FixturePaths.Config(configFile), HostFacts.Gather(probe));
        }

        var context = new CheckContext(probe, config, containerdConfigPath: null, searchPath: FixturePath);
        return await new HostChecker().RunAsync(context);
    }

    public static Task<CheckReport> CheckAsync(string host, string? configFile = null) => CheckAsync(new FixtureHostProbe(host), configFile);

    public static CheckResult Get(this CheckReport report, string id) =>
        report.Find(id) ?? throw new Xunit.Sdk.XunitException($"no result for {id}; have {string.Join(", ", report.Results.Select(r => r.Id))}");

    /// <summary>The result of check <paramref name="id"/>, asserted to have <paramref name="status"/>.</summary>
    public static CheckResult Expect(this CheckReport report, string id, CheckStatus status)
    {
        var result = report.Get(id);
        Assert.Equal(status, result.Status);
        return result;
    }

    /// <summary>The results of checks <paramref name="ids"/>, each asserted to have <paramref name="status"/>.</summary>
    public static IEnumerable<CheckResult> ExpectAll(this CheckReport report, CheckStatus status, params string[] ids) =>
        ids.Select(id => report.Expect(id, status)).ToList();

    /// <summary>Asserts the report is ready, naming every failed check otherwise.</summary>
    public static void AssertReady(this CheckReport report) =>
        Assert.True(report.Ready, string.Join("\n", report.Results.Where(r => r.Status == CheckStatus.Fail).Select(r => $"{r.Id}: {r.Summary}")));
}
