using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Sealpod.Agent.Tests;

/// <summary>The agent's per-step start timing: on the debug log only, one line per step with its own duration.</summary>
public sealed class StartupStepsTests
{
    [Fact]
    public async Task With_debug_each_step_is_one_line_with_its_duration_the_time_since_main_and_the_uptime()
    {
        var log = new StringWriter();
        var steps = new StartupSteps(new AgentLog(log, LogLevel.Debug), Stopwatch.GetTimestamp());

        await Task.Delay(30);
        steps.Done("first");
        steps.Done("second");

        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        var first = Regex.Match(lines[0], @"^sealpod-agent debug: start: first took ([0-9.]+) ms \(([0-9.]+) ms since Main, uptime [0-9]+ ms\)$");
        var second = Regex.Match(lines[1], @"^sealpod-agent debug: start: second took ([0-9.]+) ms \(([0-9.]+) ms since Main, uptime [0-9]+ ms\)$");
        Assert.True(first.Success, lines[0]);
        Assert.True(second.Success, lines[1]);
        var firstMs = double.Parse(first.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(firstMs, 25, 10_000);
        // The second step is measured from the first's end, not from Main: it fits between the two lines' times since
        // Main (0.1 ms for their rounding), which a duration counted from Main (at least the first's 25 ms) cannot.
        var firstSinceMain = double.Parse(first.Groups[2].Value, CultureInfo.InvariantCulture);
        var secondMs = double.Parse(second.Groups[1].Value, CultureInfo.InvariantCulture);
        var secondSinceMain = double.Parse(second.Groups[2].Value, CultureInfo.InvariantCulture);
        Assert.True(secondSinceMain >= firstSinceMain, $"{secondSinceMain} < {firstSinceMain}");
        Assert.True(secondMs <= secondSinceMain - firstSinceMain + 0.1, $"second took {secondMs} ms, more than the {secondSinceMain - firstSinceMain} ms between the lines");
    }

    [Fact]
    public void Without_debug_nothing_is_logged()
    {
        var log = new StringWriter();
        var steps = new StartupSteps(new AgentLog(log, LogLevel.Information), Stopwatch.GetTimestamp());

        steps.Done("first");

        Assert.Equal(string.Empty, log.ToString());
    }
}
