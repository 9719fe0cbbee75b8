using Sealpod.Tee.Measurement;

namespace Sealpod.Vmm.Qemu;

public sealed partial class QemuHypervisor
{
    // A random vsock CID can collide with another VM's; QEMU then exits at once and we try another.
    private const int MaxLaunchAttempts = 3;
    private const uint FirstGuestCid = 3;

    /// <summary>
    /// Renders the command line, starts virtiofsd (when the sandbox shares a directory) and QEMU, waits for QMP, and
    /// runs SEV pre-attestation on the paused guest when the plan asks for it. Each thing made is recorded in
    /// <paramref name="launch"/> as soon as it exists, so a failure anywhere leaves nothing behind.
    /// </summary>
    private async Task<QemuSession> LaunchAsync(
        VmLaunch launch, VmSpec spec, QemuVmFiles files, AcceleratorDecision accelerator, SevPreAttestation? attestation, SevLaunchSession? sevSession,
        CancellationToken cancellationToken)
    {
        var host = _options.ResolveHost();
        for (var attempt = 1; ; attempt++)
        {
            var endpoint = ChooseAgentEndpoint(spec.AgentTransport, files);
            var plan = QemuCommandLineFactory.Plan(new QemuLaunchRequest
            {
                Config = _config,
                Spec = spec,
                Accelerator = accelerator.Accelerator,
                Files = files,
                AgentEndpoint = endpoint,
                Host = host,
                Tee = PlannedTee.Launch,
                SevSession = sevSession,
                VhostNet = File.Exists(_options.VhostNetDevicePath),
            });
            VirtiofsdProcess? virtiofsd = null;
            if (spec.SharedDirectory is { } shared)
            {
                virtiofsd = await StartVirtiofsdAsync(files, shared, cancellationToken).ConfigureAwait(false);
                launch.Companion = virtiofsd;
            }

            var argv = plan.CommandLine.Build();
            LogLaunching(Logger, spec.SandboxId, accelerator.Accelerator == Acceleration.Accelerator.Kvm ? "KVM" : "TCG", accelerator.Reason, _config.Path, FormatArgv(plan.CommandLine.BuildForLog()));
            var process = VmProcess.Start(Hypervisor, _config.Path, argv, files.Directory, files.HypervisorLog, Logger, passedDescriptors: plan.PassedDescriptors);
            launch.Process = process;
            QmpClient qmp;
            try
            {
                qmp = await ConnectQmpAsync(process, files.QmpSocket, cancellationToken).ConfigureAwait(false);
            }
            catch (HypervisorStartException) when (endpoint is VsockAgentEndpoint vsock && attempt < MaxLaunchAttempts
                && process.HasExited && process.ReadLogTail().Contains("guest cid", StringComparison.OrdinalIgnoreCase))
            {
                LogCidInUse(Logger, vsock.Cid);
                await process.DisposeAsync().ConfigureAwait(false);
                launch.Process = null;
                if (virtiofsd is not null)
                {
                    // It served (or waited for) the QEMU that just failed; the next attempt gets a fresh one.
                    await virtiofsd.DisposeAsync().ConfigureAwait(false);
                    launch.Companion = null;
                }

                files.DeleteProcessFiles();
                continue;
            }

            launch.Control = qmp;
            if (attestation is not null)
            {
                // The guest is paused (-S): attest it, inject the released secret, let it run. A failure abandons the
                // start, which kills QEMU and removes every file, so nothing of the launch is left.
                var boot = new SevMeasuredBoot(
                    _config.Firmware,
                    _config.Kernel,
                    _config.Initrd.Length > 0 ? _config.Initrd : null,
                    string.Join(' ', plan.CommandLine.Append?.Parameters ?? []),
                    plan.CommandLine.Smp.Cpus,
                    VcpuSignature.OfHost(_options.Cpuid) ?? 0);
                await attestation.AttestAsync(new QmpSevLaunchControl(qmp, _options.CommandTimeout), sevSession!, boot, spec.SandboxId, cancellationToken).ConfigureAwait(false);
            }

            if (virtiofsd is not null)
            {
                _ = StopWhenVirtiofsdDiesAsync(process, virtiofsd);
            }

            return new QemuSession(qmp, files, plan.Layout, endpoint, accelerator, virtiofsd, PumpEventsAsync(qmp, process.Pid));
        }
    }

    /// <summary>
    /// Waits for QMP to answer. QEMU creates the socket before it builds the machine and greets from its monitor
    /// thread at once, but answers <c>qmp_capabilities</c> only from its main loop, which runs once the machine is
    /// built and reset (the kernel copied into guest RAM): the answer means the guest is starting. An exit or EOF
    /// before that is a start failure whose reason is in QEMU's stderr.
    /// </summary>
    private Task<QmpClient> ConnectQmpAsync(VmProcess process, string socketPath, CancellationToken cancellationToken) =>
        SocketWait.ConnectAsync(
            process,
            socketPath,
            ct => QmpClient.ConnectAsync(socketPath, Logger, ct),

            // Not listening yet or just stopped; or accepted, then went away before greeting: it is exiting, and the
            // next round sees the exit.
            ex => ex is SocketException or QmpConnectionClosedException,
            _options.StartTimeout,
            () => new HypervisorStartException("QEMU exited during start-up"),
            () => new HypervisorStartException($"QEMU's QMP socket did not answer within {_options.StartTimeout.TotalSeconds:0.#} s"),
            cancellationToken);

    private AgentEndpoint ChooseAgentEndpoint(AgentTransport transport, QemuVmFiles files)
    {
        var useVsock = transport switch
        {
            AgentTransport.Vsock => true,
            AgentTransport.VirtioSerial => false,
            _ => File.Exists(_options.VhostVsockDevicePath),
        };
        if (!useVsock)
        {
            return new VirtioSerialAgentEndpoint(files.AgentSocket, VirtioSerialAgentEndpoint.DefaultPortName);
        }

        // CIDs 0-2 are reserved (hypervisor, local, host); the top value is VMADDR_CID_ANY.
        var cid = (uint)Random.Shared.NextInt64(FirstGuestCid, uint.MaxValue);
        return new VsockAgentEndpoint(cid, VsockAgentEndpoint.DefaultPort);
    }

    private static string FormatArgv(IReadOnlyList<string> argv) =>
        string.Join(' ', argv.Select(a => a.Length == 0 || a.Any(char.IsWhiteSpace) ? "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'" : a));
}
