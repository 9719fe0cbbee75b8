namespace Sealpod.Runtime.Tests.Fakes;

/// <summary>Collects what the event queue publishes (containerd's side of the ttrpc Forward call is tested in the shim).</summary>
internal sealed class RecordingPublisher : IEventPublisher
{
    public ConcurrentQueue<RuntimeEvent> Published { get; } = new();

    public Func<RuntimeEvent, Task>? OnPublish { get; set; }

    public async Task PublishAsync(RuntimeEvent runtimeEvent, DateTimeOffset timestamp, CancellationToken cancellationToken)
    {
        if (OnPublish is { } hook)
        {
            await hook(runtimeEvent);
        }

        Published.Enqueue(runtimeEvent);
    }

    /// <summary>Waits until <paramref name="condition"/> holds; the timeout only bounds a failing test.</summary>
    public async Task WaitForAsync(Func<IReadOnlyCollection<RuntimeEvent>, bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!condition(Published.ToArray()))
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    public IReadOnlyList<string> Topics(string containerId) =>
        Published.Where(e => e.ContainerId == containerId).Select(e => e switch
        {
            TaskExited exit => $"{e.Topic} {exit.ProcessId} {exit.ExitStatus}",
            _ => e.Topic,
        }).ToList();
}
