namespace Sealpod.Runtime.Events;

/// <summary>
/// Delivers one event to containerd. Implementations retry as they see fit and throw only when they give up;
/// <see cref="EventQueue"/> calls them one event at a time, so retrying in place keeps the order.
/// </summary>
public interface IEventPublisher
{
    Task PublishAsync(RuntimeEvent runtimeEvent, DateTimeOffset timestamp, CancellationToken cancellationToken);
}
