namespace Sealpod.HostCheck.Tests;

/// <summary>The sealpod command line: commands, options, exit statuses and the human table.</summary>
public sealed class CliTests
{
    [Fact]
    public async Task Check_json_on_a_ready_host_exits_zero_and_prints_only_json()
    {
        var run = await CliRun.RunAsync("snp", "check", "--json", "--config", FixturePaths.Config("configuration-qemu-snp.toml"));

        Assert.Equal(SealpodCli.ExitOk, run.ExitCode);
        Assert.Empty(run.Error);
        var report = run.Json();
        Assert.True(report.GetProperty("ready").GetBoolean());
        Assert.Equal(FixturePaths.Config("configuration-qemu-snp.toml"), report.GetProperty("config").GetString());
    }

    [Fact]
    public async Task Check_exits_one_when_a_check_fails_and_shows_evidence_and_remedy_for_it()
    {
        var run = await CliRun.RunAsync("sev-disabled", "check", "--config", FixturePaths.Config("configuration-qemu-snp.toml"));

        Assert.Equal(SealpodCli.ExitFailed, run.ExitCode);
        var lines = run.Out.Split('\n');
        var header = lines.Single(l => l.StartsWith("STATUS", StringComparison.Ordinal));
        var resultColumn = header.IndexOf("RESULT", StringComparison.Ordinal);
        var snp = lines.Single(l => l.StartsWith("FAIL    amd.sev-snp ", StringComparison.Ordinal));
        Assert.Equal(resultColumn, snp.IndexOf("AMD SEV-SNP unavailable", StringComparison.Ordinal));

        // Evidence and remedy follow the FAIL row, indented to the result column.
        var at = Array.IndexOf(lines, snp);
        Assert.Equal(new string(' ', resultColumn) + "/sys/module/kvm_amd/parameters/sev_snp: <not found>", lines[at + 1]);
        Assert.Contains(lines.Skip(at + 1).TakeWhile(l => l.StartsWith(' ')), l => l.TrimStart().StartsWith("remedy: ", StringComparison.Ordinal));

        // PASS rows carry no evidence unless --verbose.
        var kvm = Array.FindIndex(lines, l => l.StartsWith("PASS    kvm.device ", StringComparison.Ordinal));
        Assert.False(lines[kvm + 1].StartsWith(' '));
        Assert.Matches(@"^34 checks: \d+ PASS, \d+ WARN, \d+ FAIL, \d+ SKIP: NOT ready$", lines.Single(l => l.StartsWith("34 checks", StringComparison.Ordinal)));
        Assert.DoesNotContain('\u001b', run.Out);
    }

    [Fact]
    public async Task Verbose_shows_evidence_for_passing_checks()
    {
        var run = await CliRun.RunAsync("snp", "check", "-v");

        var lines = run.Out.Split('\n');
        var kvm = Array.FindIndex(lines, l => l.StartsWith("PASS    kvm.device ", StringComparison.Ordinal));
        Assert.EndsWith("open /dev/kvm: ok", lines[kvm + 1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Colour_codes_appear_only_when_enabled_and_keep_the_alignment()
    {
        var run = await CliRun.RunAsync(new FixtureHostProbe("pvm"), true, "check");

        Assert.Contains("\u001b[33mWARN\u001b[0m    kvm.backend", run.Out, StringComparison.Ordinal);
        Assert.Contains("\u001b[32mPASS\u001b[0m    kvm.device", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "check", "--bogus" }, "unknown option '--bogus'")]
    [InlineData(new[] { "check", "--config" }, "--config needs a value")]
    [InlineData(new[] { "frobnicate" }, "unknown command 'frobnicate'")]
    [InlineData(new[] { "env", "extra" }, "unexpected argument 'extra'")]
    [InlineData(new[] { "containerd-config", "--containerd-version", "4" }, "--containerd-version must be 2 or 3, got '4'")]
    [InlineData(new[] { "containerd-config", "--snapshotter-address", "/run/s.sock" }, "--snapshotter-address must be an absolute socket path and goes with --guest-pull, got '/run/s.sock'")]
    [InlineData(new[] { "runtimeclass", "--configs-dir", "/nonexistent-sealpod-dir" }, "no configuration*.toml in /nonexistent-sealpod-dir")]
    public async Task Usage_errors_exit_two_and_name_the_problem(string[] args, string message)
    {
        var run = await CliRun.RunAsync("snp", args);

        Assert.Equal(SealpodCli.ExitUsage, run.ExitCode);
        Assert.StartsWith($"sealpod: {message}", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task Check_with_a_missing_explicit_configuration_fails_config_load()
    {
        var report = await CliRun.JsonAsync("snp", SealpodCli.ExitFailed, "check", "--json", "--config", "/nonexistent/configuration.toml");

        var load = CliRun.CheckOf(report, "config.load");
        Assert.Equal("FAIL", load.GetProperty("status").GetString());
        Assert.Contains("/nonexistent/configuration.toml", load.GetProperty("evidence")[0].GetProperty("value").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_with_an_invalid_configuration_lists_every_error_with_its_position()
    {
        var path = FixturePaths.Config("broken/configuration-qemu-broken.toml");
        var report = await CliRun.JsonAsync("snp", SealpodCli.ExitFailed, "check", "--json", "--config", path);

        var load = CliRun.CheckOf(report, "config.load");
        var errors = load.GetProperty("evidence").EnumerateArray().Select(e => e.GetProperty("value").GetString()).ToArray();
        Assert.Contains(errors, e => e!.StartsWith($"{path}:4:18: hypervisor.qemu.default_memory:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e!.StartsWith($"{path}:5:13: hypervisor.qemu.shared_fs:", StringComparison.Ordinal));
        Assert.Equal("SKIP", CliRun.CheckOf(report, "config.kernel").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Help_and_version_exit_zero()
    {
        var help = await CliRun.RunAsync("snp", "help");
        Assert.Equal(SealpodCli.ExitOk, help.ExitCode);
        Assert.StartsWith("usage: sealpod <command> [options]", help.Out, StringComparison.Ordinal);
        Assert.Contains("\n  check ", help.Out, StringComparison.Ordinal);

        var version = await CliRun.RunAsync("snp", "--version");
        Assert.Equal(SealpodCli.ExitOk, version.ExitCode);
        Assert.Matches(@"^sealpod \d+\.\d+\.\d+", version.Out);

        var none = await CliRun.RunAsync("snp");
        Assert.Equal(SealpodCli.ExitUsage, none.ExitCode);
        Assert.Contains("usage: sealpod", none.Error, StringComparison.Ordinal);
    }
}
