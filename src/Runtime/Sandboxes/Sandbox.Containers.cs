namespace Sealpod.Runtime.Sandboxes;

public sealed partial class Sandbox
{
    /// <summary>
    /// Creates a container in the VM from its prepared rootfs and guest spec: attaches the image disk (or shares one
    /// already attached), copies what the spec bind-mounts, and has the agent create the container. The caller
    /// still owns <paramref name="rootfs"/> if this fails.
    /// </summary>
    public async Task<Container> CreateContainerAsync(
        ContainerCreateRequest request, OciBundle bundle, ContainerKind kind, ContainerRootfs rootfs, GuestContainerSpec guestSpec, StartupTimeline timeline,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(rootfs);
        ArgumentNullException.ThrowIfNull(guestSpec);
        ArgumentNullException.ThrowIfNull(timeline);
        ThrowIfVmGone($"create container {request.Id}");
        if (_containers.ContainsKey(request.Id))
        {
            throw new AlreadyExistsException($"container {request.Id} already exists in sandbox {Id}");
        }

        foreach (var note in guestSpec.Notes)
        {
            LogSpecDropped(_logger, request.Id, note);
        }

        var image = rootfs.Image is { } erofs
            ? await timeline.MeasureAsync("image-attach", external: true, () => AcquireImageAsync(erofs, cancellationToken)).ConfigureAwait(false)
            : null;
        StdioForwarder? io = null;
        try
        {
            if (guestSpec.Binds.Count > 0)
            {
                if (_share is null)
                {
                    throw new FailedPreconditionException($"container {request.Id}: sandbox {Id} shares no filesystem with its guest (shared_fs is not \"virtio-fs\")");
                }

                foreach (var bind in guestSpec.Binds)
                {
                    _share.Add(request.Id, bind);
                }
            }

            var copier = new GuestFileCopier(_agent);
            foreach (var copy in guestSpec.Copies)
            {
                await timeline.MeasureAsync("copy-files", external: true, () => copier.CopyAsync(copy, cancellationToken)).ConfigureAwait(false);
            }

            io = await StdioForwarder.OpenAsync(ProcessContext.Poller, request.Io, request.Id, (request.Id, ProcessContext.Namespace), _logger, cancellationToken).ConfigureAwait(false);
            var create = new CreateContainerRequest
            {
                ContainerId = request.Id,
                ExecId = request.Id,
                Storages = image is null
                    ? [rootfs.GuestPull!, .. guestSpec.Storages]
                    : [.. RootfsStorages.For(request.Id, image.Digest, image.Attachment), .. guestSpec.Storages],
                // A pulled image's rootfs is where Kata's agent mounts it.
                Spec = image is null ? guestSpec.Spec with { Root = (guestSpec.Spec.Root ?? new AgentClient.Oci.OciRoot()) with { Path = rootfs.GuestPull!.MountPoint } } : guestSpec.Spec,
            };
            await timeline.MeasureAsync("create-container", external: true, () => _agent.CreateContainerAsync(create, Settings.CreateContainerTimeout, cancellationToken)).ConfigureAwait(false);

            var container = new Container(ProcessContext, request.Id, bundle, kind, rootfs, request.Rootfs, io);
            if (!_containers.TryAdd(request.Id, container))
            {
                throw new AlreadyExistsException($"container {request.Id} already exists in sandbox {Id}");
            }

            return container;
        }
        catch
        {
            if (io is not null)
            {
                await io.DisposeAsync().ConfigureAwait(false);
            }

            _share?.RemoveContainer(request.Id);
            if (image is not null)
            {
                await ReleaseImageAsync(image.Digest).ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <summary>
    /// Deletes a container whose init process has exited (or never started): removes it from the guest, closes
    /// its streams, detaches its image when no other container uses it and unmounts its rootfs.
    /// </summary>
    public async Task<ExitResult> DeleteContainerAsync(string id, CancellationToken cancellationToken)
    {
        var container = GetContainer(id);
        var exit = await container.Init.DeleteAsync(cancellationToken).ConfigureAwait(false);
        _containers.TryRemove(new KeyValuePair<string, Container>(id, container));
        await TeardownAsync(container, removeFromGuest: true).ConfigureAwait(false);
        return exit;
    }

    private async Task TeardownAsync(Container container, bool removeFromGuest)
    {
        if (removeFromGuest && !VmExited)
        {
            try
            {
                await _agent.RemoveContainerAsync(container.Id, Settings.RemoveContainerTimeout, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogTeardownStep(_logger, container.Id, "remove from the guest", e.Message);
            }
        }

        foreach (var process in container.Processes)
        {
            await process.Io.DisposeAsync().ConfigureAwait(false);
        }

        // The guest has let go of the container's mounts (or the VM is gone): unbind its host paths.
        _share?.RemoveContainer(container.Id);

        if (container.Rootfs.Image is { } erofs)
        {
            await ReleaseImageAsync(erofs.Digest).ConfigureAwait(false);
        }
        try
        {
            container.Rootfs.Release();
        }
        catch (IOException e)
        {
            LogTeardownStep(_logger, container.Id, "unmount the rootfs", e.Message);
        }
    }

    private async Task<ImageAttachment> AcquireImageAsync(ErofsImage image, CancellationToken cancellationToken)
    {
        await _imageLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_images.TryGetValue(image.Digest, out var attached))
            {
                var device = new BlockDevice { Id = ImageAttachment.DeviceId(image.Digest), Path = image.Path, ReadOnly = true };
                attached = new ImageAttachment(image.Digest, await _vm.HotplugBlockDeviceAsync(device, cancellationToken).ConfigureAwait(false));
                _images[image.Digest] = attached;
            }

            attached.References++;
            return attached;
        }
        finally
        {
            _imageLock.Release();
        }
    }

    private async Task ReleaseImageAsync(string digest)
    {
        await _imageLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!_images.TryGetValue(digest, out var attached) || --attached.References > 0)
            {
                return;
            }

            _images.Remove(digest);
            if (VmExited || Volatile.Read(ref _disposed) != 0)
            {
                return;
            }

            try
            {
                await _vm.UnplugBlockDeviceAsync(attached.Attachment.Device.Id, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The disk stays attached until the VM stops; nothing on the host depends on it.
                LogTeardownStep(_logger, attached.Attachment.Device.Id, "detach the image disk", e.Message);
            }
        }
        finally
        {
            _imageLock.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "container {ContainerId}: not given to the guest as it is: {What}")]
    private static partial void LogSpecDropped(ILogger logger, string containerId, string what);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Subject}: could not {Step}: {Reason}")]
    private static partial void LogTeardownStep(ILogger logger, string subject, string step, string reason);
}
