namespace Sealpod.Agent.Containers;

internal sealed partial class Sandbox
{
    public Task PauseContainerAsync(string containerId, CancellationToken cancellationToken) =>
        MoveAsync(containerId, "pause", ContainerState.Running, _runtime.PauseAsync, ContainerState.Paused, cancellationToken);

    public Task ResumeContainerAsync(string containerId, CancellationToken cancellationToken) =>
        MoveAsync(containerId, "resume", ContainerState.Paused, _runtime.ResumeAsync, ContainerState.Running, cancellationToken);

    /// <summary>Applies new cgroup limits (runtime update --resources).</summary>
    public Task UpdateContainerAsync(string containerId, OciResources resources, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resources);
        return WithLifecycleAsync(containerId, async container =>
        {
            container.Require("update", ContainerState.Created, ContainerState.Running, ContainerState.Paused);
            var file = Path.Combine(container.Bundle, "resources.json");
            await File.WriteAllTextAsync(file, JsonSerializer.Serialize(resources, OciJsonContext.Default.OciResources), cancellationToken).ConfigureAwait(false);
            await _runtime.UpdateAsync(container.Id, file, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    public CgroupStats StatsContainer(string containerId) => _stats.Read(Get(containerId).CgroupPath);

    /// <summary>
    /// Kills what still runs (SIGKILL to the init takes its whole pid namespace), waits up to
    /// <paramref name="timeout"/> (null: forever) for the init to be reaped, then deletes the
    /// container from the runtime, closes its streams, releases its storages and removes its bundle.
    /// </summary>
    public Task RemoveContainerAsync(string containerId, TimeSpan? timeout, CancellationToken cancellationToken) =>
        WithLifecycleAsync(containerId, async container =>
        {
            if (!container.Init.HasExited)
            {
                if (container.State == ContainerState.Paused)
                {
                    // cgroup v1 holds even SIGKILL until the cgroup is thawed.
                    await _runtime.ResumeAsync(container.Id, cancellationToken).ConfigureAwait(false);
                    container.Transition(ContainerState.Running);
                }

                container.Init.Signal(SIGKILL);
                try
                {
                    var wait = container.Init.Exited.WaitAsync(cancellationToken);
                    await (timeout is { } limit ? wait.WaitAsync(limit, cancellationToken) : wait).ConfigureAwait(false);
                }
                catch (TimeoutException e)
                {
                    throw new TimeoutException($"container {container.Id} did not exit within {timeout!.Value.TotalSeconds:0.#} s of SIGKILL", e);
                }
            }

            await DeleteQuietlyAsync(container.Id).ConfigureAwait(false);
            _oom.Unwatch(container.Id);
            container.Init.Dispose();
            foreach (var process in container.Execs())
            {
                container.RemoveExec(process);
                process.Dispose();
            }

            for (var i = container.Storages.Count - 1; i >= 0; i--)
            {
                _storage.Release(container.Storages[i]);
            }

            if (Directory.Exists(container.Bundle))
            {
                Directory.Delete(container.Bundle, recursive: true);
            }

            var copiesRemoved = RemoveSharedFiles(container.Id);

            lock (_gate)
            {
                _containers.Remove(container.Id);
            }

            if (copiesRemoved)
            {
                _log.LogInformation("container {ContainerId} removed, with its copied bind-mount files", container.Id);
            }
            else
            {
                _log.LogInformation("container {ContainerId} removed", container.Id);
            }
        }, cancellationToken);

    // Pause and resume: one runtime call that takes the container from one state to the next.
    private Task MoveAsync(string containerId, string verb, ContainerState from, Func<string, CancellationToken, Task> call, ContainerState to, CancellationToken cancellationToken) =>
        WithLifecycleAsync(containerId, async container =>
        {
            container.Require(verb, from);
            await call(container.Id, cancellationToken).ConfigureAwait(false);
            container.Transition(to);
        }, cancellationToken);

    /// <summary>
    /// Runs <paramref name="operation"/> on the container while holding its lifecycle lock, so that start, exec, pause,
    /// resume, update and remove of one container never overlap.
    /// </summary>
    private async Task WithLifecycleAsync(string containerId, Func<Container, Task> operation, CancellationToken cancellationToken)
    {
        var container = Get(containerId);
        await container.Lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await operation(container).ConfigureAwait(false);
        }
        finally
        {
            container.Lifecycle.Release();
        }
    }

    /// <summary>
    /// The bind-mount copies go with the container. Failing to remove them does not fail the removal: the container is
    /// already gone from the runtime, and what is left only costs tmpfs memory until the VM stops, so it is logged.
    /// </summary>
    /// <returns>Whether there were copies, and they are gone.</returns>
    private bool RemoveSharedFiles(string containerId)
    {
        try
        {
            return _sharedFiles.Remove(containerId);
        }
        catch (IOException e)
        {
            _log.LogWarning("container {ContainerId}: could not remove its copied bind-mount files: {Reason}", containerId, e.Message);
            return false;
        }
    }
}
