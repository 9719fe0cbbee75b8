namespace Sealpod.Tee.Tests.Measurement;

/// <summary>
/// The example digests sev-snp-measure publishes in its own tests (tests/test_guest.py, tests/test_id_block.py) that
/// depend only on what can be rebuilt here: with a precomputed firmware hash (<c>--snp-ovmf-hash</c>) the SNP digest
/// depends on the firmware's SEV metadata, reset address and hashes-table address alone, which the synthetic image
/// copies from edk2-stable202405's AmdSev build; kernel and initrd are empty (/dev/null there).
/// </summary>
public sealed class PublishedDigestTests : IDisposable
{
    private const string AmdSevOvmfHash = "086e2e9149ebf45abdc3445fba5b2da8270bdbb04094d7a2c37faaa4b24af3aa16aff8c374c2a55c467a50da6d466b74";

    private readonly MeasurementFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData("", 0x21UL, "329c8ce0972ae52343b64d34a434a86f245dfd74f5ed7aae15d22efc78fb9683632b9b50e4e1d7fa41179ef98a7ef198")]
    [InlineData("", 0x1UL, "ddc5224521617a536ee7ce9dd6224d1b58a8d4fda1c741f3ac99fc4bfa04ba6e9fc98646d4a07a9079397fa3852819b5")]
    [InlineData("console=ttyS0 loglevel=7", 0x21UL, "803f691094946e42068aaa3a8f9e26a5c89f36f7b73ecfb28c653360fe4b3aba7e534442e7e1e17895dfe778d0228977")]
    [InlineData("console=ttyS0 loglevel=7", 0x1UL, "6d287813eb5222d770f75005c664e34c204f385ce832cc2ce7d0d6f354454362f390ef83a92046c042e706363b4b08fa")]
    public async Task Snp_with_published_ovmf_hash(string append, ulong features, string expected)
    {
        var empty = _files.Write("empty", []);
        var digest = await LaunchMeasurement.ComputeAsync(new MeasurementInputs
        {
            Mode = MeasurementMode.SevSnp,
            Firmware = _files.Firmware,
            Kernel = empty,
            Initrd = empty,
            CommandLine = append,
            Vcpus = 1,
            VcpuSignature = VcpuSignature.ForModel("EPYC-v4")!.Value,
            GuestFeatures = features,
            SnpOvmfHash = Convert.FromHexString(AmdSevOvmfHash),
        });

        Assert.Equal(expected, Convert.ToHexStringLower(digest));
    }

    [Fact]
    public void Id_block_matches_the_published_example()
    {
        var digest = Convert.FromBase64String("B28FLQi9p6cAqipgjFyqawDrrSl7bWioWkWx5mmlWLZ+G5HShKMB/mPE+gdQRn7t");

        var block = new SnpIdBlock { LaunchDigest = digest }.ToBytes();

        Assert.Equal(
            "B28FLQi9p6cAqipgjFyqawDrrSl7bWioWkWx5mmlWLZ+G5HShKMB/mPE+gdQRn7tAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABAAAAAAAAAAAAAwAAAAAA",
            Convert.ToBase64String(block));
    }

    [Theory]
    [InlineData(23, 1, 2, 0x800F12u)]
    [InlineData(25, 1, 1, 0xA00F11u)]
    [InlineData(25, 17, 0, 0xA10F10u)]
    [InlineData(26, 0, 0, 0xB00F00u)]
    [InlineData(6, 0x3A, 9, 0x306A9u)]
    public void Cpu_signature_is_cpuid_leaf_1_eax(int family, int model, int stepping, uint expected)
    {
        Assert.Equal(expected, VcpuSignature.Of(family, model, stepping));
    }
}
