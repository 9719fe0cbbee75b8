namespace Sealpod.Vmm.CloudHypervisor;

public sealed partial class ClhHypervisor
{
    /// <inheritdoc />
    public async Task StartAsync(VmSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _lifecycle.BeginStart();
        var launch = new VmLaunch();
        try
        {
            spec.Validate();
            if (spec.NetworkInterfaces.Count > 0)
            {
                // Its add-net takes tap descriptors over SCM_RIGHTS on the API socket, which this driver's client cannot send yet.
                throw new HypervisorConfigurationException("runtime.internetworking_model",
                    "is \"tcfilter\", but the Cloud Hypervisor driver cannot hand the pod's tap descriptors to Cloud Hypervisor yet; use [hypervisor.qemu] or set internetworking_model = \"none\"");
            }

            foreach (var device in spec.BlockDevices)
            {
                ValidateDisk(device);
            }

            var files = new ClhVmFiles(spec.RuntimeDirectory);
            files.ValidateSocketPaths();
            launch.PrepareDirectory(files, Hypervisor);
            spec = await InitDataDisk.AttachAsync(spec, PlannedTee, files.InitDataImage, cancellationToken).ConfigureAwait(false);
            var vmConfig = ClhVmConfigFactory.Create(new ClhLaunchRequest
            {
                Config = _config,
                Spec = spec,
                Files = files,
                Host = _options.ResolveHost(),
                Tee = PlannedTee.Launch,
            });

            string[] arguments = _config.EnableDebug ? ["--api-socket", files.ApiSocket, "-v"] : ["--api-socket", files.ApiSocket];
            LogLaunching(Logger, spec.SandboxId, TeeNames.Describe(PlannedTee.Launch.Kind), _config.Path, KernelParameterRedaction.Redact(vmConfig.Payload.Cmdline ?? string.Empty));

            // Cloud Hypervisor has no pid file of its own: the driver records one, which is how delete finds a VMM whose shim was lost.
            var process = VmProcess.Start(Hypervisor, _config.Path, arguments, files.Directory, files.HypervisorLog, Logger, files.PidFile);
            launch.Process = process;
            var api = new ClhApiClient(files.ApiSocket, PlannedTee.Launch.IsConfidential ? _options.ConfidentialApiTimeout : _options.ApiTimeout);
            launch.Control = api;
            var ping = await WaitForApiAsync(process, api, files.ApiSocket, cancellationToken).ConfigureAwait(false);

            await api.CreateVmAsync(vmConfig, cancellationToken).ConfigureAwait(false);
            if (!spec.StartPaused)
            {
                await api.BootVmAsync(cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _booted, 1);
            }

            var info = await api.VmInfoAsync(cancellationToken).ConfigureAwait(false);
            foreach (var device in spec.BlockDevices)
            {
                var node = info.DeviceTree?.GetValueOrDefault(device.Id);
                if (node?.PciBdf is not { } bdf)
                {
                    throw new HypervisorStartException($"vm.info does not say where disk '{device.Id}' is (no pci_bdf in its device_tree entry)");
                }

                Attachments[device.Id] = new BlockDeviceAttachment(device, GuestBlockDriver.VirtioBlk, ParseBdf(bdf, device.Id), Hotplugged: false);
            }

            _lifecycle.Publish(launch, new ClhSession(api, files, new HybridVsockAgentEndpoint(files.VsockSocket, VsockAgentEndpoint.DefaultPort)));
            LogStarted(Logger, spec.SandboxId, process.Pid, ping.Version);
        }
        catch (Exception ex)
        {
            Attachments.Clear();
            if (await _lifecycle.AbandonStartAsync(launch, spec.SandboxId, ex).ConfigureAwait(false) is { } failure)
            {
                throw failure;
            }

            throw;
        }
    }

    /// <summary>Polls vmm.ping until the VMM answers; an exit before that is a start failure whose reason is in its log.</summary>
    private Task<VmmPingResponse> WaitForApiAsync(VmProcess process, ClhApiClient api, string socket, CancellationToken cancellationToken) =>
        SocketWait.ConnectAsync(
            process,
            socket,
            api.PingAsync,

            // The socket exists but the API thread is not accepting yet.
            ex => ex is HttpRequestException,
            _options.StartTimeout,
            () => new HypervisorStartException("Cloud Hypervisor exited during start-up"),
            () => new HypervisorStartException($"Cloud Hypervisor's API socket did not answer vmm.ping within {_options.StartTimeout.TotalSeconds:0.#} s"),
            cancellationToken);
}
