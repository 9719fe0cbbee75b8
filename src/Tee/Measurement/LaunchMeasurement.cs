namespace Sealpod.Tee.Measurement;

/// <summary>
/// Computes the launch measurement the AMD secure processor reports for a QEMU guest, from the same inputs QEMU loads
/// (SEV and SEV-SNP firmware ABI specifications; the computation sev-snp-measure documents):
/// <list type="bullet">
/// <item>SEV: SHA-256 over the firmware image, then the kernel hashes table when <c>kernel-hashes</c> is on;</item>
/// <item>SEV-ES: the same hash continued over one VMSA page per vCPU;</item>
/// <item>SEV-SNP: the SHA-384 page-info chain over the firmware pages, then the SEV metadata sections (zero, secrets,
/// CPUID, the kernel hashes page) in the image's order, then one VMSA per vCPU.</item>
/// </list>
/// </summary>
public static class LaunchMeasurement
{
    /// <summary>Computes the digest: 32 bytes for SEV and SEV-ES, 48 for SEV-SNP.</summary>
    /// <exception cref="MeasurementException">An input cannot be read or the firmware lacks what the mode needs.</exception>
    public static async Task<byte[]> ComputeAsync(MeasurementInputs inputs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Vcpus < 1 && inputs.Mode != MeasurementMode.Sev)
        {
            throw new MeasurementException($"vcpus: {inputs.Vcpus}; expected at least 1");
        }

        if (inputs.SnpOvmfHash is not null && inputs.Mode != MeasurementMode.SevSnp)
        {
            throw new MeasurementException("a precomputed SNP firmware hash only applies to --mode snp");
        }

        var firmware = await OvmfImage.LoadAsync(inputs.Firmware, cancellationToken).ConfigureAwait(false);
        var hashes = inputs.Kernel is null
            ? null
            : await KernelHashes.ComputeAsync(inputs.Kernel, inputs.Initrd, inputs.CommandLine, cancellationToken).ConfigureAwait(false);
        return Compute(inputs, firmware, hashes);
    }

    /// <summary>Computes the digest from a parsed firmware image and precomputed kernel hashes.</summary>
    public static byte[] Compute(MeasurementInputs inputs, OvmfImage firmware, KernelHashes? hashes)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(firmware);
        return inputs.Mode == MeasurementMode.SevSnp ? Snp(inputs, firmware, hashes) : Sev(inputs, firmware, hashes);
    }

    private static byte[] Sev(MeasurementInputs inputs, OvmfImage firmware, KernelHashes? hashes)
    {
        using var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        digest.AppendData(firmware.Data.Span);
        if (hashes is not null)
        {
            if (!firmware.HasSevHashesTable)
            {
                throw new MeasurementException(
                    $"firmware {firmware.Name}: has no SEV hashes table (SEV_HASH_TABLE_RV_GUID), so QEMU cannot measure the kernel, initrd and command line; use an OVMF built from OvmfPkg/AmdSev (Debian's OVMF_CODE.fd is not)");
            }

            digest.AppendData(hashes.Table());
        }

        if (inputs.Mode == MeasurementMode.SevEs)
        {
            // SEV-ES guests get no SEV features in their VMSA from QEMU's launch.
            var apEip = firmware.SevEsResetEip;
            for (var i = 0; i < inputs.Vcpus; i++)
            {
                digest.AppendData(Vmsa.ForVcpu(i, apEip, inputs.VcpuSignature, sevFeatures: 0));
            }
        }

        return digest.GetHashAndReset();
    }

    private static byte[] Snp(MeasurementInputs inputs, OvmfImage firmware, KernelHashes? hashes)
    {
        if (firmware.Sections.Count == 0)
        {
            throw new MeasurementException($"firmware {firmware.Name}: has no OVMF SEV metadata (OVMF_SEV_METADATA_GUID), so it cannot boot an SEV-SNP guest");
        }

        if (hashes is not null && !firmware.HasSection(OvmfSectionType.SnpKernelHashes))
        {
            throw new MeasurementException(
                $"firmware {firmware.Name}: its SEV metadata has no SNP_KERNEL_HASHES section, so QEMU cannot measure the kernel, initrd and command line; use an OVMF built from OvmfPkg/AmdSev");
        }

        if (firmware.Data.Length % 4096 != 0)
        {
            throw new MeasurementException($"firmware {firmware.Name}: {firmware.Data.Length} bytes is not a whole number of 4 KiB pages, which SNP measures");
        }

        var digest = new SnpLaunchDigest(inputs.SnpOvmfHash);
        if (inputs.SnpOvmfHash is null)
        {
            digest.NormalPages(firmware.Gpa, firmware.Data.Span);
        }

        foreach (var section in firmware.Sections)
        {
            switch (section.Type)
            {
                case OvmfSectionType.SnpSecMemory or OvmfSectionType.SvsmCaa:
                    digest.ZeroPages(section.Gpa, section.Size);
                    break;
                case OvmfSectionType.SnpSecrets:
                    digest.SecretsPage(section.Gpa);
                    break;
                case OvmfSectionType.Cpuid:
                    digest.CpuidPage(section.Gpa);
                    break;
                case OvmfSectionType.SnpKernelHashes when hashes is not null:
                    var page = hashes.Page(firmware.SevHashesTableGpa);
                    if (section.Size != page.Length)
                    {
                        throw new MeasurementException($"firmware {firmware.Name}: SNP_KERNEL_HASHES section is {section.Size} bytes; expected one page");
                    }

                    digest.NormalPages(section.Gpa, page);
                    break;
                case OvmfSectionType.SnpKernelHashes:
                    digest.ZeroPages(section.Gpa, section.Size);
                    break;
            }
        }

        var apEip = firmware.SevEsResetEip;
        for (var i = 0; i < inputs.Vcpus; i++)
        {
            digest.VmsaPage(Vmsa.ForVcpu(i, apEip, inputs.VcpuSignature, inputs.GuestFeatures));
        }

        return digest.Digest;
    }
}
