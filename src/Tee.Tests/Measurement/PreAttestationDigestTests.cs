namespace Sealpod.Tee.Tests.Measurement;

/// <summary>
/// The digest SEV pre-attestation hands the key broker must be the one the PSP measures: for an SEV-ES policy that
/// includes a VMSA per boot vCPU (the guest owner's sev-snp-measure --mode seves), for plain SEV it does not.
/// </summary>
public sealed class PreAttestationDigestTests : IDisposable
{
    private readonly MeasurementFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task An_sev_es_policy_expects_the_sev_es_measurement_of_the_boot_vcpus()
    {
        var boot = new SevMeasuredBoot(_files.Firmware, _files.Kernel, _files.Initrd, MeasurementFiles.CommandLine, Vcpus: 2, VcpuSignature: 0x800F12);

        var digest = await SevPreAttestation.ExpectedDigestAsync(boot, policy: 0x7, CancellationToken.None);

        // The golden recorded with sev-snp-measure --mode seves --vcpus 2 on the same synthetic firmware.
        Assert.Equal("539e067a36fb45b0516132939a529b01c230eebcab75c628c634502f6efc4387", Convert.ToHexStringLower(digest));
    }

    [Fact]
    public async Task An_sev_policy_expects_the_firmware_and_kernel_hashes_only()
    {
        var boot = new SevMeasuredBoot(_files.Firmware, _files.Kernel, _files.Initrd, MeasurementFiles.CommandLine, Vcpus: 2, VcpuSignature: 0x800F12);

        var digest = await SevPreAttestation.ExpectedDigestAsync(boot, policy: 0x3, CancellationToken.None);

        Assert.Equal("468ada8ad70cdf4a6bef47b36e416fe4aa49456c9716570df2eb045538e2a201", Convert.ToHexStringLower(digest));
    }

    [Fact]
    public async Task The_sev_es_digest_follows_the_vcpu_count()
    {
        var one = new SevMeasuredBoot(_files.Firmware, _files.Kernel, _files.Initrd, MeasurementFiles.CommandLine, Vcpus: 1, VcpuSignature: 0x800F12);

        var digest = await SevPreAttestation.ExpectedDigestAsync(one, policy: 0x5, CancellationToken.None);

        Assert.NotEqual("539e067a36fb45b0516132939a529b01c230eebcab75c628c634502f6efc4387", Convert.ToHexStringLower(digest));
        Assert.Equal(
            Convert.ToHexStringLower(await LaunchMeasurement.ComputeAsync(new MeasurementInputs
            {
                Mode = MeasurementMode.SevEs, Firmware = _files.Firmware, Kernel = _files.Kernel, Initrd = _files.Initrd,
                CommandLine = MeasurementFiles.CommandLine, Vcpus = 1, VcpuSignature = 0x800F12,
            })),
            Convert.ToHexStringLower(digest));
    }
}
