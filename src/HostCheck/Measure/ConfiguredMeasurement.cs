using Sealpod.Tee.Launch;
using Sealpod.Tee.Measurement;
using Sealpod.Vmm;
using Sealpod.Vmm.Qemu;

namespace Sealpod.HostCheck.Measure;

/// <summary>
/// The measurement inputs of a configuration as the shim would launch it: the TEE its keys ask for, and the firmware,
/// kernel, initrd, command line, vCPUs and CPU model from the QEMU driver's own <see cref="QemuCommandLineFactory.MeasuredBoot"/>.
/// </summary>
public static class ConfiguredMeasurement
{
    /// <summary>What the configuration launches.</summary>
    /// <param name="Inputs">The measurement inputs (the vCPU signature still to be resolved when <see cref="CpuModel"/> is <c>host</c>).</param>
    /// <param name="CpuModel">QEMU's <c>-cpu</c>.</param>
    /// <param name="Policy">The guest policy the launch uses (the ID block must carry it).</param>
    public sealed record Result(MeasurementInputs Inputs, string CpuModel, ulong Policy);

    /// <summary>Resolves <paramref name="configuration"/>; <paramref name="mode"/> overrides the TEE its keys choose.</summary>
    /// <exception cref="MeasurementException">The configuration launches nothing AMD measures; the message names the key.</exception>
    public static Result Resolve(SealpodConfiguration configuration, string path, MeasurementMode? mode, HostResources host)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration.Hypervisor is not QemuConfig q)
        {
            throw new MeasurementException($"{path}: measures [hypervisor.qemu] launches only; Cloud Hypervisor boots SEV-SNP guests from an IGVM file, which sev-snp-measure's --mode snp does not describe");
        }

        if (!q.ConfidentialGuest)
        {
            throw new MeasurementException($"{path}: hypervisor.qemu.confidential_guest is false, so the guest is not measured; set it to true");
        }

        if (q.Firmware.Length == 0)
        {
            throw new MeasurementException($"{path}: hypervisor.qemu.firmware is empty; SEV guests boot OVMF, which the measurement starts from");
        }

        var chosen = mode ?? (q.SevSnpGuest ? MeasurementMode.SevSnp : (q.SevGuestPolicy & SevLaunch.EsPolicyBit) != 0 ? MeasurementMode.SevEs : MeasurementMode.Sev);

        // The launch values the planner reads from the host (C-bit, reduced physical bits) shape neither the command
        // line nor the measurement, so no host is probed: a guest owner measures on any machine.
        TeeLaunch launch = chosen == MeasurementMode.SevSnp
            ? new SevSnpLaunch { Policy = q.SnpGuestPolicy, CBitPosition = 0, ReducedPhysBits = 0, Firmware = q.Firmware }
            : SevLaunch.From(q, cBitPosition: 0, reducedPhysBits: 0);
        QemuMeasuredBoot boot;
        try
        {
            boot = QemuCommandLineFactory.MeasuredBoot(q, configuration.Agent, launch, host);
        }
        catch (HypervisorConfigurationException e)
        {
            // What the driver would refuse to launch (a root disk image, which the measurement would leave out) has no digest.
            throw new MeasurementException($"{path}: {e.Message}", e);
        }


        // SEV-SNP launches always set kernel-hashes=on; SEV and SEV-ES only with pre-attestation (SevLaunch.KernelHashes).
        var kernelHashes = launch is SevSnpLaunch || launch is SevLaunch { KernelHashes: true };
        var inputs = new MeasurementInputs
        {
            Mode = chosen,
            Firmware = boot.Firmware,
            Kernel = kernelHashes ? boot.Kernel : null,
            Initrd = kernelHashes ? boot.Initrd : null,
            CommandLine = kernelHashes ? boot.CommandLine : string.Empty,
            Vcpus = boot.Vcpus,
            VcpuSignature = VcpuSignature.ForModel(boot.CpuModel) ?? 0,
        };
        return new Result(inputs, boot.CpuModel, chosen == MeasurementMode.SevSnp ? q.SnpGuestPolicy : q.SevGuestPolicy);
    }
}
