using System.Threading.Channels;

namespace Sealpod.Runtime.Events;

/// <summary>
/// The single path every task event takes: producers enqueue (never block, never fail), one forwarder
/// publishes in enqueue order. Ordering rules that span producers are kept by the producers enqueueing in
/// that order: a process's exit is enqueued under the lock its start event was enqueued under, and an init
/// process's exit only after the exits of its container's exec processes (containerd's rule).
/// </summary>
public sealed partial class EventQueue : IAsyncDisposable
{
    private readonly Channel<(RuntimeEvent Event, DateTimeOffset Timestamp)> _channel =
        Channel.CreateUnbounded<(RuntimeEvent, DateTimeOffset)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    private static readonly TimeSpan AbandonGrace = TimeSpan.FromSeconds(1);

    private readonly IEventPublisher _publisher;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _abandon = new();
    private readonly Task _forwarder;
    private int _pending;

    public EventQueue(IEventPublisher publisher, ILogger logger, TimeProvider? time = null)
    {
        _publisher = publisher ?? throw new ArgumentNullException(nameof(publisher));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _time = time ?? TimeProvider.System;
        _forwarder = Task.Run(ForwardAsync);
    }

    /// <summary>Queues an event stamped with the current time. After <see cref="CompleteAsync"/> events are dropped (and logged).</summary>
    public void Enqueue(RuntimeEvent runtimeEvent)
    {
        ArgumentNullException.ThrowIfNull(runtimeEvent);
        Interlocked.Increment(ref _pending);
        if (!_channel.Writer.TryWrite((runtimeEvent, _time.GetUtcNow())))
        {
            Interlocked.Decrement(ref _pending);
            LogDropped(_logger, runtimeEvent.Topic, runtimeEvent.ContainerId);
        }
    }

    /// <summary>Stops taking events and waits until the queued ones are published, or <paramref name="timeout"/> passes.</summary>
    public async Task CompleteAsync(TimeSpan timeout)
    {
        _channel.Writer.TryComplete();
        try
        {
            await _forwarder.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogAbandoned(_logger, Volatile.Read(ref _pending), timeout.TotalSeconds);
            await _abandon.CancelAsync().ConfigureAwait(false);
            try
            {
                // A publisher that ignores cancellation must not hold the shim's exit hostage.
                await _forwarder.WaitAsync(AbandonGrace).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await CompleteAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        _abandon.Dispose();
    }

    private async Task ForwardAsync()
    {
        try
        {
            await foreach (var (runtimeEvent, timestamp) in _channel.Reader.ReadAllAsync(_abandon.Token).ConfigureAwait(false))
            {
                try
                {
                    await _publisher.PublishAsync(runtimeEvent, timestamp, _abandon.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (_abandon.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    // The publisher has already retried; one lost event must not stop the ones behind it.
                    LogPublishFailed(_logger, e, runtimeEvent.Topic, runtimeEvent.ContainerId);
                }
                finally
                {
                    Interlocked.Decrement(ref _pending);
                }
            }
        }
        catch (OperationCanceledException) when (_abandon.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "event {Topic} for {ContainerId} dropped: the event queue is closed")]
    private static partial void LogDropped(ILogger logger, string topic, string containerId);

    [LoggerMessage(Level = LogLevel.Error, Message = "event {Topic} for {ContainerId} could not be published")]
    private static partial void LogPublishFailed(ILogger logger, Exception error, string topic, string containerId);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} event(s) still unpublished after {Seconds} s; giving up on them")]
    private static partial void LogAbandoned(ILogger logger, int count, double seconds);
}
