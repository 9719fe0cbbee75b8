namespace Sealpod.Tee.Tests;

/// <summary>CPUID 0x8000001F: where cbitpos and reduced-phys-bits come from.</summary>
public sealed class AmdMemoryEncryptionTests
{
    [Fact]
    public void Decodes_the_feature_bits_c_bit_and_reduced_physical_bits()
    {
        var milan = AmdMemoryEncryption.Read(FakeCpuid.Milan);

        Assert.Equal(new AmdMemoryEncryption(Sme: true, Sev: true, SevEs: true, SevSnp: true, CBitPosition: 51, ReducedPhysBits: 1), milan);
        Assert.Equal(new AmdMemoryEncryption(true, false, false, false, 47, 5), AmdMemoryEncryption.Decode(new CpuidResult(0x1, (5u << 6) | 47 | 0xFFFF_F000, 0, 0)));
    }

    [Fact]
    public void A_cpu_whose_extended_range_ends_below_the_leaf_reports_nothing()
    {
        var old = new FakeCpuid(new Dictionary<uint, CpuidResult>
        {
            [0x80000000] = new(0x80000008, 0, 0, 0),
            [AmdMemoryEncryption.Leaf] = new(0x3, 51, 0, 0),
        });

        Assert.Equal(default, AmdMemoryEncryption.Read(old));
        Assert.Equal(default, AmdMemoryEncryption.Read(new FakeCpuid(new Dictionary<uint, CpuidResult>(), supported: false)));
    }

    [Fact]
    public void The_real_cpu_agrees_with_proc_cpuinfo()
    {
        // /proc/cpuinfo's "sme"/"sev" flags come from the same leaf; this AMD development host reports SME.
        var flags = File.ReadLines("/proc/cpuinfo").First(l => l.StartsWith("flags", StringComparison.Ordinal)).Split(' ');
        var real = AmdMemoryEncryption.Read(X86Cpuid.Instance);

        // The kernel may hide a feature CPUID reports (SME not enabled by firmware), never the other way round.
        Assert.True(X86Cpuid.Instance.IsSupported);
        if (flags.Contains("sme"))
        {
            Assert.True(real.Sme);
        }

        if (flags.Contains("sev"))
        {
            Assert.True(real.Sev);
        }

        if (real.Sme || real.Sev)
        {
            Assert.InRange(real.CBitPosition, 32, 63);
        }
    }
}
