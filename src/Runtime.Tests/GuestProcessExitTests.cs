namespace Sealpod.Runtime.Tests;

/// <summary>The exit handler runs unawaited: when recording the exit fails, waiters get that error instead of hanging.</summary>
public sealed class GuestProcessExitTests
{
    [Fact]
    public async Task A_failure_while_recording_the_exit_completes_wait_with_the_error()
    {
        var clock = new FailingClock();
        await using var fixture = await SandboxFixture.StartAsync(time: clock);
        var container = await fixture.StartContainerAsync("sbx");
        clock.Failing = true;

        fixture.Agent.CompleteProcess("sbx", "sbx", 0);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => container.Init.WaitAsync().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(FailingClock.Message, error.Message);
        Assert.True(container.Init.Exited.IsFaulted);

        // The sandbox still stops, and reports the failed exit with its other cleanup.
        clock.Failing = false;
        var stop = await Assert.ThrowsAsync<AggregateException>(async () => await fixture.Sandbox.DisposeAsync());
        Assert.Contains("report the exits", stop.Message, StringComparison.Ordinal);
    }

    /// <summary>A clock that can be made to fail: the exit's timestamp is the one step of recording it a test can break from outside.</summary>
    private sealed class FailingClock : TimeProvider
    {
        public const string Message = "the clock failed";

        public volatile bool Failing;

        public override DateTimeOffset GetUtcNow() => Failing ? throw new InvalidOperationException(Message) : base.GetUtcNow();
    }
}
