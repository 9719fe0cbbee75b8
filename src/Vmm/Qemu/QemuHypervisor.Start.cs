namespace Sealpod.Vmm.Qemu;

public sealed partial class QemuHypervisor
{
    /// <summary>The block device id (and serial) of the Init-Data disk the driver attaches.</summary>
    public const string InitDataDiskId = InitDataImage.DiskId;

    /// <inheritdoc />
    public async Task StartAsync(VmSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _lifecycle.BeginStart();
        var launch = new VmLaunch();
        ISimpleKbs? keyBroker = null;
        SevLaunchSession? sevSession = null;
        try
        {
            spec.Validate();
            var files = new QemuVmFiles(spec.RuntimeDirectory);
            files.ValidateSocketPaths();

            // Before anything is created: a TEE this QEMU cannot launch fails here, naming why (the host was checked
            // when the TEE was planned).
            if (PlannedTee.Launch.IsConfidential)
            {
                await _options.CapabilityProbe.RequireAsync(_config.Path, PlannedTee.Launch, cancellationToken).ConfigureAwait(false);
            }

            launch.PrepareDirectory(files, Hypervisor);
            var accelerator = PlannedTee.Launch.IsConfidential
                ? new AcceleratorDecision(Acceleration.Accelerator.Kvm, $"{TeeNames.Describe(PlannedTee.Launch.Kind)} guests run only under KVM", AcceleratorDecisionSource.Override)
                : await _probe.DecideAsync(
                    new AcceleratorProbeRequest { KernelPath = _config.Kernel.Length > 0 ? _config.Kernel : null },
                    cancellationToken).ConfigureAwait(false);
            spec = await InitDataDisk.AttachAsync(spec, PlannedTee, files.InitDataImage, cancellationToken).ConfigureAwait(false);

            SevPreAttestation? attestation = null;
            if (PlannedTee.Launch is SevLaunch { PreAttestation: { } settings })
            {
                keyBroker = _options.KeyBrokerFactory(settings);
                attestation = new SevPreAttestation(settings, keyBroker, Logger);
                sevSession = await attestation.StartSessionAsync(files.Directory, cancellationToken).ConfigureAwait(false);
            }

            var session = await LaunchAsync(launch, spec, files, accelerator, attestation, sevSession, cancellationToken).ConfigureAwait(false);
            foreach (var placement in session.Layout.Placements)
            {
                Attachments[placement.Device.Id] = new BlockDeviceAttachment(placement.Device, placement.Driver, placement.GuestAddress, Hotplugged: false);
            }

            _lifecycle.Publish(launch, session);
            LogStarted(Logger, spec.SandboxId, launch.Process!.Pid, session.Qmp.Greeting.Version.ToString());
        }
        catch (Exception ex)
        {
            Attachments.Clear();
            if (await _lifecycle.AbandonStartAsync(launch, spec.SandboxId, ex, DescribeStartFailure).ConfigureAwait(false) is { } failure)
            {
                throw failure;
            }

            throw;
        }
        finally
        {
            // QEMU read the session files when it created sev-guest; a session is good for one launch only.
            sevSession?.DeleteFiles();
            keyBroker?.Dispose();
        }
    }

    // The errors only this driver has; the lifecycle words the rest.
    private static string? DescribeStartFailure(Exception error) =>
        error is PreAttestationException ? $"{error.Message}; the VM was stopped" : null;
}
