namespace Sealpod.Tee.Tests;

/// <summary>The SEV launch digest simple-kbs checks; golden values computed independently with Python's hashlib.</summary>
public sealed class SevLaunchDigestTests
{
    private const string CommandLine = "console=ttyS0 agent.log=debug";

    [Fact]
    public async Task Matches_the_independently_computed_digest_with_and_without_an_initrd()
    {
        using var files = BootFiles.Create();

        var withInitrd = await SevLaunchDigest.ComputeAsync(files.Firmware, files.Kernel, files.Initrd, CommandLine);
        var withoutInitrd = await SevLaunchDigest.ComputeAsync(files.Firmware, files.Kernel, null, string.Empty);

        Assert.Equal("c5ac53f406a7cb279904d9815f592a8ad31ef867af2549c3ef1091a816ad82b3", Convert.ToHexStringLower(withInitrd));
        Assert.Equal("606d8bd23ae709b1b27aeaca4488eb21e7e1fb7bb975adc9e4780983da578385", Convert.ToHexStringLower(withoutInitrd));
    }

    [Fact]
    public void The_hashes_table_is_laid_out_as_qemu_lays_it_out()
    {
        var table = SevLaunchDigest.HashesTable(new byte[32], new byte[32], new byte[32]);

        Assert.Equal(176, table.Length);
        Assert.Equal("06d63894224fc94cb479a793d411fd21a800", Convert.ToHexStringLower(table.AsSpan(0, 18)));
        Assert.Equal("d82dd09720bd944caa78e7714d36ab2a3200", Convert.ToHexStringLower(table.AsSpan(18, 18)));
        Assert.Equal("31f7ba442f3ad74b9af141e29169781d3200", Convert.ToHexStringLower(table.AsSpan(68, 18)));
        Assert.Equal("3794e74dd2ab7f42b835d5b172d2045b3200", Convert.ToHexStringLower(table.AsSpan(118, 18)));
        Assert.All(table[168..], b => Assert.Equal(0, b));
    }

    /// <summary>Small stand-ins for OVMF, a kernel and an initrd; the digest does not care what they contain.</summary>
    internal sealed class BootFiles : IDisposable
    {
        private readonly TempDirectory _dir = new("sealpod-sev-boot-");

        public string Firmware => _dir.Combine("OVMF.fd");

        public string Kernel => _dir.Combine("vmlinuz");

        public string Initrd => _dir.Combine("initrd.img");

        public static BootFiles Create()
        {
            var files = new BootFiles();
            File.WriteAllBytes(files.Firmware, Enumerable.Range(0, 4096).Select(i => (byte)(i % 251)).ToArray());
            File.WriteAllText(files.Kernel, string.Concat(Enumerable.Repeat("sealpod test kernel\n", 10)));
            File.WriteAllText(files.Initrd, string.Concat(Enumerable.Repeat("sealpod test initrd\n", 3)));
            return files;
        }

        public void Dispose() => _dir.Dispose();
    }
}
