namespace Sealpod.Tee.Tests.Measurement;

/// <summary>
/// Digests recorded by running sev-snp-measure 0.0.13 (virtee, commit 8f2b337) side by side on the same inputs: the
/// synthetic AmdSev-style firmware with its kernel, initrd and command line, and Debian's OVMF_CODE.fd.
/// </summary>
public sealed class LaunchMeasurementGoldenTests : IDisposable
{
    private readonly MeasurementFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Synthetic_firmware_is_the_one_the_goldens_were_recorded_on()
    {
        Assert.Equal(SyntheticOvmf.Sha256, Convert.ToHexStringLower(SHA256.HashData(SyntheticOvmf.Build())));
    }

    [Theory]
    [InlineData(MeasurementMode.Sev, true, true, 1, 0u, "468ada8ad70cdf4a6bef47b36e416fe4aa49456c9716570df2eb045538e2a201")]
    [InlineData(MeasurementMode.Sev, true, false, 1, 0u, "f7431f47c03edfd06fc309717afbcfff7826c30ae138a8a62645dd0092f3c3a6")]
    [InlineData(MeasurementMode.SevEs, true, true, 2, 0x800F12u, "539e067a36fb45b0516132939a529b01c230eebcab75c628c634502f6efc4387")]
    [InlineData(MeasurementMode.SevSnp, true, true, 1, 0x800F12u, "ca513a831fd3659eb695fc725c77b514bfbb1437ee09c25ef79146611cc30da1563d6483ee58aa246612e7a5fd46a025")]
    [InlineData(MeasurementMode.SevSnp, true, true, 4, 0xA00F11u, "a2f0dae79255e52b7d63d47c86c05dd880d4a40ebf456458574660b68521828c69b9d4d20463a96dd89330dbb4350275")]
    [InlineData(MeasurementMode.SevSnp, true, true, 2, 0xA10F10u, "ca567c1a6c08b08fcf170a9101cef5392381132a2f39f31dca1b5829f48147081a486984ad67b0317de8a9fe780aea39")]
    [InlineData(MeasurementMode.SevSnp, true, false, 2, 0xA00F11u, "70c4c948924eeff96ea58d5b6e2ad44bb47f6cc444e263949f01d5ce43d00e6bccf3f54bc45c6f2748a6ddbfbcfbbaca")]
    public async Task Synthetic_firmware_with_kernel_hashes_matches_sev_snp_measure(MeasurementMode mode, bool withKernel, bool withInitrdAndAppend, int vcpus, uint signature, string expected)
    {
        var digest = await LaunchMeasurement.ComputeAsync(new MeasurementInputs
        {
            Mode = mode,
            Firmware = _files.Firmware,
            Kernel = withKernel ? _files.Kernel : null,
            Initrd = withInitrdAndAppend ? _files.Initrd : null,
            CommandLine = withInitrdAndAppend ? MeasurementFiles.CommandLine : string.Empty,
            Vcpus = vcpus,
            VcpuSignature = signature,
        });

        Assert.Equal(expected, Convert.ToHexStringLower(digest));
    }

    [Fact]
    public async Task Synthetic_firmware_without_kernel_zeroes_the_hashes_page_for_snp()
    {
        var digest = await LaunchMeasurement.ComputeAsync(new MeasurementInputs
        {
            Mode = MeasurementMode.SevSnp,
            Firmware = _files.Firmware,
            Vcpus = 1,
            VcpuSignature = VcpuSignature.ForModel("EPYC-v4")!.Value,
        });

        Assert.Equal("d2821910e6a0daafd5fdaa07e5fb4ee94654b6206dec261898674524355016aa21b32e3afcb507e414197e5e88f3c72d", Convert.ToHexStringLower(digest));
    }

    [Fact]
    public async Task Debian_ovmf_is_the_one_the_goldens_were_recorded_on()
    {
        Assert.True(File.Exists(MeasurementFiles.DebianOvmf), $"{MeasurementFiles.DebianOvmf} is missing: install Debian's ovmf package (make deps)");
        var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(File.OpenRead(MeasurementFiles.DebianOvmf)));
        Assert.True(sha == MeasurementFiles.DebianOvmfSha256, $"{MeasurementFiles.DebianOvmf} is not ovmf 2022.11-6+deb12u2's (sha256 {sha}); re-record the Debian goldens with sev-snp-measure");
    }

    [Theory]
    [InlineData(MeasurementMode.Sev, 1, "EPYC-v4", 0x1UL, "d9b568def24088c92f34b5479e0ed7e44d0a4d4cea8a0f5716719180bba48106")]
    [InlineData(MeasurementMode.SevEs, 1, "EPYC-v4", 0x1UL, "4c55bc8b9c7804ec80940258127e2aae37f818436a54c55cebe89542bd6dc63f")]
    [InlineData(MeasurementMode.SevEs, 4, "EPYC-Milan", 0x1UL, "6979b214746d29495a772e952f0177cb74051e5a40edd18ac5b0821826e4cab2")]
    [InlineData(MeasurementMode.SevSnp, 1, "EPYC-v4", 0x1UL, "a479327cbb0b50e876024c2dac7412d4e5e95c7315c1f8b0446f6d3be69fefba50766285475926737e4a70b155252f88")]
    [InlineData(MeasurementMode.SevSnp, 4, "EPYC-Genoa", 0x1UL, "df9a8dcee6313ae7b057a67d04502e4a7f5060ae988043d4066655d87bcf6cfa4b7d14b485cdf67bc118182f2ec18fd2")]
    [InlineData(MeasurementMode.SevSnp, 2, "EPYC-v4", 0x21UL, "6814e41b2926299717b35c0c4499a0a3fd39bb6d7800ea5a4f5ac25f33b811cde365984fd4e062e222cf0e39e835ce9f")]
    public async Task Debian_ovmf_matches_sev_snp_measure(MeasurementMode mode, int vcpus, string cpu, ulong features, string expected)
    {
        Assert.True(File.Exists(MeasurementFiles.DebianOvmf), $"{MeasurementFiles.DebianOvmf} is missing: install Debian's ovmf package (make deps)");
        var digest = await LaunchMeasurement.ComputeAsync(new MeasurementInputs
        {
            Mode = mode,
            Firmware = MeasurementFiles.DebianOvmf,
            Vcpus = vcpus,
            VcpuSignature = VcpuSignature.ForModel(cpu)!.Value,
            GuestFeatures = features,
        });

        Assert.Equal(expected, Convert.ToHexStringLower(digest));
    }

    [Fact]
    public async Task Debian_ovmf_cannot_measure_a_kernel()
    {
        // Debian builds OvmfPkgX64, which has no hashes table: QEMU's kernel-hashes=on would be refused as well.
        var e = await Assert.ThrowsAsync<MeasurementException>(() => LaunchMeasurement.ComputeAsync(new MeasurementInputs
        {
            Mode = MeasurementMode.SevSnp,
            Firmware = MeasurementFiles.DebianOvmf,
            Kernel = _files.Kernel,
            Vcpus = 1,
        }));
        Assert.Contains("SNP_KERNEL_HASHES", e.Message, StringComparison.Ordinal);
        Assert.Contains(MeasurementFiles.DebianOvmf, e.Message, StringComparison.Ordinal);

        var sev = await Assert.ThrowsAsync<MeasurementException>(() => LaunchMeasurement.ComputeAsync(new MeasurementInputs
        {
            Mode = MeasurementMode.Sev,
            Firmware = MeasurementFiles.DebianOvmf,
            Kernel = _files.Kernel,
        }));
        Assert.Contains("SEV_HASH_TABLE_RV_GUID", sev.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Debian_ovmf_metadata_is_parsed()
    {
        var image = await OvmfImage.LoadAsync(MeasurementFiles.DebianOvmf);

        Assert.Equal(0x80B004u, image.SevEsResetEip);
        Assert.False(image.HasSevHashesTable);
        Assert.Equal(
            [
                new OvmfMetadataSection(0x800000, 0x9000, OvmfSectionType.SnpSecMemory),
                new OvmfMetadataSection(0x80A000, 0x3000, OvmfSectionType.SnpSecMemory),
                new OvmfMetadataSection(0x80D000, 0x1000, OvmfSectionType.SnpSecrets),
                new OvmfMetadataSection(0x80E000, 0x1000, OvmfSectionType.Cpuid),
                new OvmfMetadataSection(0x80F000, 0x11000, OvmfSectionType.SnpSecMemory),
            ],
            image.Sections);
        Assert.Equal(0x1_0000_0000UL - (ulong)image.Data.Length, image.Gpa);
    }
}
