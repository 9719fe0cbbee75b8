namespace Sealpod.Runtime.Tests;

public sealed class EventQueueTests
{
    [Fact]
    public async Task Events_are_published_one_at_a_time_in_enqueue_order()
    {
        var publisher = new RecordingPublisher();
        int inFlight = 0;
        int maxInFlight = 0;
        publisher.OnPublish = async _ =>
        {
            maxInFlight = Math.Max(maxInFlight, Interlocked.Increment(ref inFlight));
            await Task.Yield();
            Interlocked.Decrement(ref inFlight);
        };
        var queue = new EventQueue(publisher, NullLogger.Instance);

        for (int i = 0; i < 200; i++)
        {
            queue.Enqueue(new TaskOom($"c{i}"));
        }

        await queue.CompleteAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"c{i}"), publisher.Published.Select(e => e.ContainerId));
        Assert.Equal(1, maxInFlight);
    }

    [Fact]
    public async Task An_event_the_publisher_gives_up_on_does_not_stop_the_ones_behind_it()
    {
        var publisher = new RecordingPublisher { OnPublish = e => e.ContainerId == "bad" ? throw new IOException("containerd is gone") : Task.CompletedTask };
        var queue = new EventQueue(publisher, NullLogger.Instance);

        queue.Enqueue(new TaskPaused("a"));
        queue.Enqueue(new TaskPaused("bad"));
        queue.Enqueue(new TaskResumed("b"));
        await queue.CompleteAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["a", "b"], publisher.Published.Select(e => e.ContainerId));
    }

    [Fact]
    public async Task Events_after_completion_are_dropped_not_thrown()
    {
        var publisher = new RecordingPublisher();
        var queue = new EventQueue(publisher, NullLogger.Instance);
        await queue.CompleteAsync(TimeSpan.FromSeconds(5));

        queue.Enqueue(new TaskOom("late"));

        Assert.Empty(publisher.Published);
    }

    [Fact]
    public async Task A_stuck_publisher_is_abandoned_after_the_completion_timeout()
    {
        var publisher = new RecordingPublisher { OnPublish = _ => Task.Delay(Timeout.Infinite) };
        var queue = new EventQueue(publisher, NullLogger.Instance);
        queue.Enqueue(new TaskOom("x"));

        await queue.CompleteAsync(TimeSpan.FromMilliseconds(100));

        Assert.Empty(publisher.Published);
    }
}
