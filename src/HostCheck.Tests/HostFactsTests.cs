namespace Sealpod.HostCheck.Tests;

/// <summary>Parsing of /proc/cpuinfo, kernel releases, /proc/cmdline, module parameters and CPUID 0x8000001F.</summary>
public sealed class HostFactsTests
{
    [Fact]
    public void Cpuinfo_x86_takes_the_first_processor()
    {
        var info = CpuInfo.Parse(
            "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 9654\nflags\t\t: fpu svm lm\n\n"
            + "processor\t: 1\nvendor_id\t: AuthenticAMD\nmodel name\t: other\nflags\t\t: fpu\n");

        Assert.Equal(CpuVendor.Amd, info.Vendor);
        Assert.Equal(CpuArchitecture.X86_64, info.Architecture);
        Assert.Equal("AMD EPYC 9654", info.ModelName);
        Assert.True(info.HasFlag("svm"));
        Assert.False(info.HasFlag("sv"));
        Assert.Empty(info.Facilities);
    }

    [Fact]
    public void Cpuinfo_s390x_reads_features_and_facilities()
    {
        var info = CpuInfo.Parse(
            "vendor_id       : IBM/S390\n# processors    : 2\nfeatures\t: esan3 zarch sie \nfacilities      : 0 1 2 158 165\n"
            + "processor 0: version = 00,  identification = 0B2FB8,  machine = 3931\n");

        Assert.Equal(CpuVendor.Ibm, info.Vendor);
        Assert.Equal(CpuArchitecture.S390x, info.Architecture);
        Assert.True(info.HasFlag("sie"));
        Assert.Contains(158, info.Facilities);
        Assert.DoesNotContain(15, info.Facilities);
    }

    [Fact]
    public void Cpuinfo_arm64_and_empty()
    {
        var arm = CpuInfo.Parse("processor\t: 0\nBogoMIPS\t: 50.00\nFeatures\t: fp asimd evtstrm\nCPU implementer\t: 0x41\n");
        Assert.Equal(CpuVendor.Arm, arm.Vendor);
        Assert.Equal("0x41", arm.VendorId);
        Assert.True(arm.HasFlag("asimd"));

        var empty = CpuInfo.Parse("");
        Assert.Equal(CpuVendor.Unknown, empty.Vendor);
        Assert.Equal(CpuArchitecture.Unknown, empty.Architecture);
    }

    [Theory]
    [InlineData("6.11.0-snp-host", 6, 11, 0)]
    [InlineData("6.18.44-fc-v657", 6, 18, 44)]
    [InlineData("5.10.134-13_rc2.an8.x86_64", 5, 10, 134)]
    [InlineData("6.11-rc3", 6, 11, 0)]
    [InlineData("6.8.0-31-generic\n", 6, 8, 0)]
    public void Kernel_release_parses_its_numeric_part(string release, int major, int minor, int patch)
    {
        Assert.True(KernelVersion.TryParse(release, out var version));
        Assert.Equal(new KernelVersion(major, minor, patch), version);
    }

    [Theory]
    [InlineData("")]
    [InlineData("linux")]
    [InlineData("6")]
    [InlineData("x.11")]
    public void Kernel_release_without_numbers_is_rejected(string release) =>
        Assert.False(KernelVersion.TryParse(release, out _));

    [Fact]
    public void Kernel_version_comparison_and_the_snp_minimum()
    {
        Assert.True(new KernelVersion(6, 10, 99) < KernelVersion.SnpHostMinimum);
        Assert.True(new KernelVersion(6, 11, 0) >= KernelVersion.SnpHostMinimum);
        Assert.True(new KernelVersion(7, 0, 0) > KernelVersion.SnpHostMinimum);
    }

    [Fact]
    public void Command_line_stops_at_init_arguments_and_treats_dash_as_underscore()
    {
        var cmdline = KernelCommandLine.Parse("root=/dev/sda1 ro kvm-amd.sev=1 prot_virt=\"on\" nested_pvm=1 -- prot_virt=0 mem_encrypt=on\n");

        Assert.Equal("1", cmdline.Get("kvm_amd.sev"));
        Assert.Equal("on", cmdline.Get("prot_virt"));
        Assert.True(cmdline.Contains("ro"));
        Assert.Null(cmdline.Get("ro"));
        Assert.Equal("ro", cmdline.Describe("ro"));
        Assert.False(cmdline.Contains("mem_encrypt"));
        Assert.Null(cmdline.Describe("mem_encrypt"));
    }

    [Theory]
    [InlineData("Y\n", true)]
    [InlineData("1", true)]
    [InlineData("N", false)]
    [InlineData("0\n", false)]
    [InlineData("maybe", null)]
    [InlineData(null, null)]
    public void Module_booleans(string? text, bool? expected) => Assert.Equal(expected, SysfsBoolean.Parse(text));

    [Fact]
    public void Memory_encryption_leaf_decodes_features_and_cbitpos()
    {
        // Genoa-like values: SME, SEV, SEV-ES, SNP; C-bit 51, 1 bit of physical address space lost.
        var leaf = new MemoryEncryptionLeaf(new CpuIdResult(0x0101_FD3F, 0x0001_4073, 0x0000_03EF, 0x0000_0001));

        Assert.True(leaf.Sme);
        Assert.True(leaf.Sev);
        Assert.True(leaf.SevEs);
        Assert.True(leaf.SevSnp);
        Assert.Equal(51, leaf.CBitPosition);
        Assert.Equal(1, leaf.ReducedPhysBits);
        Assert.Equal(0x3EFu, leaf.EncryptedGuests);

        var none = new MemoryEncryptionLeaf(new CpuIdResult(0x2, 0x2F, 0, 0));
        Assert.False(none.Sme);
        Assert.True(none.Sev);
        Assert.False(none.SevEs);
        Assert.False(none.SevSnp);
        Assert.Equal(47, none.CBitPosition);
    }
}
