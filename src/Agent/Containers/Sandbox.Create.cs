namespace Sealpod.Agent.Containers;

internal sealed partial class Sandbox
{
    /// <summary>
    /// Mounts the container's storages, writes its bundle and has the runtime create it: the init
    /// process exists, in its namespaces and cgroup, waiting for StartContainer. Anything that fails
    /// is undone.
    /// </summary>
    public async Task<Container> CreateContainerAsync(ContainerSpec request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = ContainerId.Validate(request.Id);
        var execId = string.IsNullOrEmpty(request.ExecId) ? id : ContainerId.Validate(request.ExecId, "exec id");
        lock (_gate)
        {
            if (_containers.ContainsKey(id) || !_creating.Add(id))
            {
                throw new AlreadyExistsException($"container {id} already exists");
            }
        }

        var storages = new List<MountedStorage>();
        var bundle = Path.Combine(_options.ContainersRoot, id);
        IProcessIo? io = null;
        var runtimeCreated = false;
        try
        {
            foreach (var storage in request.Storages)
            {
                storages.Add(await _storage.MountAsync(storage, cancellationToken).ConfigureAwait(false));
            }

            var cgroupPath = CgroupPathFor(id, request.Spec.Linux?.CgroupsPath);
            var (mapped, devices) = await MapDevicesAsync(request.Spec, request.Devices, cancellationToken).ConfigureAwait(false);
            var confinement = ConfidentialConfinement.For(_options);
            var spec = SpecPolicy.Apply(
                mapped,
                ResolveRoot(request.Spec.Root, storages, confinement),
                request.Spec.Root?.Readonly ?? false,
                cgroupPath,
                path => devices.TryGetValue(path, out var node) ? node : DeviceNode.TryRead(path),
                confinement);

            if (request.Storages.Any(GuestPullStorage.IsPause) && spec.Process is { } process)
            {
                // The sandbox's rootfs is the guest image's pause bundle, not the sandbox image CRI read its command
                // from (that image is never pulled): run the bundle's own program, as Kata's agent does with its
                // /pause_bundle's config.json.
                spec = spec with { Process = process with { Args = [GuestPullStorage.PauseProgram] } };
                _log.LogInformation("container {ContainerId}: the guest's pause bundle, process {Program}", id, GuestPullStorage.PauseProgram);
            }

            // net.* sysctls are the guest network namespace's, which the containers share: the agent writes them (crun
            // would refuse them for a container without a network namespace of its own); the rest crun applies.
            var (runtimeSysctls, networkSysctls) = NetworkSysctls.Split(spec.Linux?.Sysctl);
            if (networkSysctls.Count > 0)
            {
                spec = spec with { Linux = spec.Linux! with { Sysctl = runtimeSysctls } };
                NetworkSysctls.Write(networkSysctls, _options.ProcSysRoot);
                _log.LogInformation("container {ContainerId}: {Count} network sysctls written in the guest network namespace", id, networkSysctls.Count);
            }

            if (Directory.Exists(bundle))
            {
                // Left by an agent that died mid-create: nothing can be using it now.
                Directory.Delete(bundle, recursive: true);
            }

            Directory.CreateDirectory(bundle);
            await File.WriteAllTextAsync(Path.Combine(bundle, "config.json"), JsonSerializer.Serialize(spec, OciJsonContext.Default.OciSpec), cancellationToken).ConfigureAwait(false);

            var pidFile = Path.Combine(bundle, "init.pid");
            var checkpoint = _reaper.Checkpoint();
            if (spec.Process!.Terminal)
            {
                using var console = new ConsoleSocket(NextConsoleSocketPath());
                runtimeCreated = true;
                await _runtime.CreateAsync(id, bundle, pidFile, console.Path, null, Path.Combine(bundle, "create.log"), cancellationToken).ConfigureAwait(false);
                io = new TerminalIo(_poller, console.ReceiveMaster());
                if (spec.Process.ConsoleSize is { Height: > 0, Width: > 0 } size)
                {
                    io.Resize(size.Height, size.Width);
                }
            }
            else
            {
                io = new PipeIo(_poller);
                runtimeCreated = true;
                await _runtime.CreateAsync(id, bundle, pidFile, null, io.ChildStdio, Path.Combine(bundle, "create.log"), cancellationToken).ConfigureAwait(false);
                io.ReleaseChildEnds();
            }

            var pid = ReadPidFile(pidFile);
            var init = new ContainerProcess(execId, isInit: true, io);
            init.Started(pid, _reaper.Adopt(pid, checkpoint));
            var container = new Container(id, bundle, cgroupPath, spec, init, storages);
            _ = init.Exited.ContinueWith(
                _ => OnInitExited(container),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            _oom.Watch(id, cgroupPath);
            lock (_gate)
            {
                _containers[id] = container;
                _creating.Remove(id);
            }

            _log.LogInformation("container {ContainerId} created, init pid {Pid}", id, pid);
            return container;
        }
        catch
        {
            io?.Dispose();
            if (runtimeCreated)
            {
                await DeleteQuietlyAsync(id).ConfigureAwait(false);
            }

            for (var i = storages.Count - 1; i >= 0; i--)
            {
                _storage.Release(storages[i]);
            }

            if (Directory.Exists(bundle))
            {
                Directory.Delete(bundle, recursive: true);
            }

            lock (_gate)
            {
                _creating.Remove(id);
            }

            throw;
        }
    }

    private void OnInitExited(Container container)
    {
        // An OOM kill is counted before its victim dies, but memory.events' notification can come later (the kernel
        // rate-limits it): read the counters now, so the OOM event is queued before WaitProcess reports the exit.
        _oom.Check();
        if (container.Init.Exited.IsCompletedSuccessfully)
        {
            _log.LogInformation("container {ContainerId} init exited: {Status}", container.Id, container.Init.Exited.Result);
        }
    }

    /// <summary>
    /// The guest rootfs: the spec's absolute root path if it names one, else (relative or empty, as
    /// containerd writes "rootfs") the mount point of the last storage. In a confidential guest an absolute path must
    /// be below a storage root.
    /// </summary>
    private static string ResolveRoot(OciRoot? root, IReadOnlyList<MountedStorage> storages, ConfidentialConfinement? confinement)
    {
        var path = root?.Path ?? "";
        if (path.StartsWith('/'))
        {
            confinement?.CheckRoot(path);
            return Directory.Exists(path)
                ? path
                : throw new InvalidArgumentException($"root.path {path} does not exist in the guest");
        }

        return storages.Count > 0
            ? storages[^1].MountPoint
            : throw new InvalidArgumentException($"root.path '{path}' is relative and no storage provides the rootfs");
    }

    /// <summary>
    /// <c>/&lt;parent&gt;/&lt;id&gt;</c>, or the spec's cgroupsPath placed under the parent. A systemd-style
    /// path ("slice:prefix:name") has no meaning in the guest, which has no systemd.
    /// </summary>
    private string CgroupPathFor(string id, string? specPath)
    {
        var parent = "/" + _options.CgroupParent.Trim('/');
        if (string.IsNullOrEmpty(specPath) || specPath.Contains(':', StringComparison.Ordinal))
        {
            return $"{parent}/{id}";
        }

        var parts = specPath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || parts.Any(part => part is "." or ".."))
        {
            throw new InvalidArgumentException($"linux.cgroupsPath '{specPath}' must be a path without '.' or '..' components");
        }

        return $"{parent}/{string.Join('/', parts)}";
    }

    private async Task DeleteQuietlyAsync(string id)
    {
        try
        {
            await _runtime.DeleteAsync(id, force: true, CancellationToken.None).ConfigureAwait(false);
        }
        catch (OciRuntimeException e)
        {
            // The runtime may never have registered the container: nothing to delete.
            _log.LogDebug(e, "runtime delete of {ContainerId} during cleanup", id);
        }
    }
}
