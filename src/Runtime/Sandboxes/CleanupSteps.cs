namespace Sealpod.Runtime.Sandboxes;

/// <summary>
/// Runs every step of a teardown even when an earlier one fails (a step that stops at the first error leaves
/// the share mounted and the sockets behind), then reports every failure together.
/// </summary>
internal sealed class CleanupSteps(string subject)
{
    private readonly List<CleanupStepFailedException> _failures = [];

    public IReadOnlyList<CleanupStepFailedException> Failures => _failures;

    public void Run(string step, Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _failures.Add(new CleanupStepFailedException(step, e));
        }
    }

    public async Task RunAsync(string step, Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _failures.Add(new CleanupStepFailedException(step, e));
        }
    }

    /// <summary>Throws an <see cref="AggregateException"/> holding every failed step, its message naming them all.</summary>
    public void ThrowIfAny()
    {
        if (_failures.Count > 0)
        {
            throw new AggregateException($"{subject}: {_failures.Count} cleanup step(s) failed: {string.Join("; ", _failures.Select(f => f.Message))}", _failures);
        }
    }
}
