using System.Buffers.Binary;
using System.Security.Cryptography;
using Sealpod.Tee.Measurement;
using Sealpod.Tee.TestSupport;

namespace Sealpod.HostCheck.Tests;

/// <summary>
/// <c>sealpod measure</c> end to end in-process: sev-snp-measure's flags (the SEV guide's command) give sev-snp-measure's
/// digests, <c>--config</c> measures the command line the QEMU driver renders, and the ID block it signs verifies.
/// </summary>
public sealed class MeasureCliTests : IDisposable
{
    private readonly MeasurementFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static Task<CliRun> Measure(params string[] args) => CliRun.RunAsync("no-kvm", ["measure", .. args]);

    [Fact]
    public async Task Guide_command_gives_sev_snp_measure_digest()
    {
        var run = await Measure("--mode", "snp", "--vcpus", "1", "--vcpu-type", "EPYC-v4", "--ovmf", _files.Firmware,
            "--kernel", _files.Kernel, "--initrd", _files.Initrd, "--append", MeasurementFiles.CommandLine);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("ca513a831fd3659eb695fc725c77b514bfbb1437ee09c25ef79146611cc30da1563d6483ee58aa246612e7a5fd46a025\n", run.Out);
    }

    [Fact]
    public async Task Sev_guide_command_runs_verbatim()
    {
        // The guide's flags with '=' as it writes them: --mode=sev --output-format=base64.
        var run = await Measure("--mode=sev", "--output-format=base64", "--ovmf", _files.Firmware, "--kernel", _files.Kernel,
            "--initrd", _files.Initrd, "--append", MeasurementFiles.CommandLine);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("RoraitcM30pr70ezbkFv5KpJRWyXFlcN8usEVTjiogE=\n", run.Out);
    }

    [Fact]
    public async Task Base64_output_and_cpu_family_flags()
    {
        var run = await Measure("--mode", "snp", "--vcpus", "2", "--vcpu-family", "25", "--vcpu-model", "17", "--vcpu-stepping", "0",
            "--ovmf", _files.Firmware, "--kernel", _files.Kernel, "--initrd", _files.Initrd, "--append", MeasurementFiles.CommandLine, "--output-format", "base64");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("ylZ8GmwIsI/PFwqRAc71OSOBEyovOfMdyhtYKfSBRwgaSGmErWewMX3oqf54Cuo5\n", run.Out);
    }

    [Fact]
    public async Task Sev_and_seves_of_debian_ovmf()
    {
        var sev = await Measure("--mode", "sev", "--ovmf", MeasurementFiles.DebianOvmf);
        var es = await Measure("--mode", "seves", "--vcpus", "4", "--vcpu-type", "EPYC-Milan", "--ovmf", MeasurementFiles.DebianOvmf, "-v");

        Assert.Equal("d9b568def24088c92f34b5479e0ed7e44d0a4d4cea8a0f5716719180bba48106\n", sev.Out);
        Assert.Equal("Calculated SEV-ES guest measurement: 6979b214746d29495a772e952f0177cb74051e5a40edd18ac5b0821826e4cab2\n", es.Out);
    }

    [Fact]
    public async Task Config_measures_the_command_line_the_shim_renders()
    {
        var config = SnpConfig("agent.guest_components_procs=none");

        var run = await Measure("--config", config, "-v");

        Assert.True(run.ExitCode == 0, run.Error);
        var cmdline = Line(run.Error, "  cmdline:  ");
        Assert.Contains("console=ttyS0", cmdline, StringComparison.Ordinal);
        Assert.Contains("agent.confidential=true", cmdline, StringComparison.Ordinal);
        Assert.DoesNotContain("nr_cpus", cmdline, StringComparison.Ordinal);
        Assert.Contains("vcpus:    1 x EPYC-v4 (signature 0x800f12)", run.Error, StringComparison.Ordinal);

        // The digest is the SNP measurement of exactly that command line.
        Assert.EndsWith(" agent.guest_components_procs=none", cmdline, StringComparison.Ordinal);
        var expected = await LaunchMeasurement.ComputeAsync(new MeasurementInputs
        {
            Mode = MeasurementMode.SevSnp,
            Firmware = _files.Firmware,
            Kernel = _files.Kernel,
            Initrd = _files.Initrd,
            CommandLine = cmdline,
            Vcpus = 1,
            VcpuSignature = 0x800F12,
        });
        Assert.Equal($"Calculated SEV-SNP guest measurement: {Convert.ToHexStringLower(expected)}\n", run.Out);

        // One changed kernel parameter in the configuration changes the digest.
        var changed = await Measure("--config", SnpConfig("agent.guest_components_procs=nonf", "changed.toml"));
        Assert.Equal(0, changed.ExitCode);
        Assert.NotEqual(Convert.ToHexStringLower(expected) + "\n", changed.Out);
    }

    [Fact]
    public async Task Config_vcpus_and_cpu_type_can_describe_another_host()
    {
        var config = SnpConfig(string.Empty);

        var here = await Measure("--config", config);
        var there = await Measure("--config", config, "--vcpus", "4", "--vcpu-type", "EPYC-Milan", "-v");

        Assert.Equal(0, there.ExitCode);
        Assert.Contains("vcpus:    4 x EPYC-v4 (signature 0xa00f11)", there.Error, StringComparison.Ordinal);
        Assert.NotEqual(here.Out, there.Out.Split(": ")[^1]);
    }

    [Fact]
    public async Task Secrets_in_the_command_line_are_measured_but_not_printed()
    {
        var first = await Measure("--config", SnpConfig("agent.aa_kbc_params=cc_kbc::http://user:secret@192.0.2.1:8080", "a.toml"), "-v");
        var second = await Measure("--config", SnpConfig("agent.aa_kbc_params=cc_kbc::http://user:secret@192.0.2.1:8081", "b.toml"), "-v");

        Assert.Equal(0, first.ExitCode);
        Assert.DoesNotContain("secret", first.Error, StringComparison.Ordinal);
        Assert.NotEqual(first.Out, second.Out);
    }

    [Fact]
    public async Task Id_block_and_auth_for_the_configuration()
    {
        var key = _files.Write("id.pem", System.Text.Encoding.ASCII.GetBytes(TestKeys.Id));

        var run = await Measure("--config", SnpConfig(string.Empty), "--snp-id-key", key, "--snp-image-id", "000102030405060708090a0b0c0d0e0f");

        Assert.True(run.ExitCode == 0, run.Error);
        var lines = run.Out.Split('\n');
        var digest = Convert.FromHexString(lines[0]);
        var block = Convert.FromBase64String(Quoted(lines[1], "snp_id_block = "));
        var auth = Convert.FromBase64String(Quoted(lines[2], "snp_id_auth = "));
        Assert.Equal(96, block.Length);
        Assert.Equal(4096, auth.Length);
        Assert.Equal(digest, block[..48]);
        Assert.Equal(Convert.FromHexString("000102030405060708090a0b0c0d0e0f"), block[0x40..0x50]);
        Assert.Equal(0x30000UL, BinaryPrimitives.ReadUInt64LittleEndian(block.AsSpan(0x58)));

        using var idKey = ECDsa.Create();
        idKey.ImportFromPem(TestKeys.Id);
        Assert.Equal(SnpIdAuth.PublicKey(idKey), auth[SnpIdAuth.IdKeyOffset..(SnpIdAuth.IdKeyOffset + SnpIdAuth.PublicKeySize)]);
        var signature = SnpIdAuth.SignatureToP1363(auth.AsSpan(SnpIdAuth.IdBlockSignatureOffset, SnpIdAuth.SignatureSize));
        Assert.True(idKey.VerifyData(block, signature, HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        Assert.Equal($"# id_key_digest = {Convert.ToBase64String(SnpIdAuth.KeyDigest(idKey))}", lines[3]);
    }

    [Fact]
    public async Task Id_block_files_are_written()
    {
        var key = _files.Write("id.pem", System.Text.Encoding.ASCII.GetBytes(TestKeys.Id));

        var run = await Measure("--mode", "snp", "--vcpus", "1", "--vcpu-type", "EPYC-v4", "--ovmf", MeasurementFiles.DebianOvmf,
            "--snp-id-key", key, "--snp-policy", "0xb0000", "--id-block-out", _files.Path("block"), "--id-auth-out", _files.Path("auth"));

        Assert.True(run.ExitCode == 0, run.Error);
        var block = Convert.FromBase64String(File.ReadAllText(_files.Path("block")).Trim());
        Assert.Equal(Convert.FromHexString(run.Out.Split('\n')[0]), block[..48]);
        Assert.Equal(0xB0000UL, BinaryPrimitives.ReadUInt64LittleEndian(block.AsSpan(0x58)));
        Assert.Equal(4096, Convert.FromBase64String(File.ReadAllText(_files.Path("auth")).Trim()).Length);
    }

    [Theory]
    [InlineData("--mode snp --ovmf X", "--vcpus N is required")]
    [InlineData("--mode snp --vcpus 1 --ovmf X", "needs --vcpu-type")]
    [InlineData("--mode snp --vcpus 1 --vcpu-type EPYC-v9 --ovmf X", "--vcpu-type 'EPYC-v9' is not known")]
    [InlineData("--mode tdx --ovmf X", "--mode must be sev, seves or snp")]
    [InlineData("--mode sev --ovmf X --initrd Y", "add --kernel FILE")]
    [InlineData("--config X --kernel Y", "--kernel cannot be combined with --config")]
    [InlineData("--mode sev --ovmf X --output-format raw", "--output-format must be hex or base64")]
    [InlineData("", "measure needs --config FILE or --mode")]
    public async Task Usage_errors_name_the_flag(string args, string message)
    {
        var run = await Measure(args.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Non_confidential_configuration_is_refused_naming_the_key()
    {
        var run = await Measure("--config", Path.Combine(Repository.Configs, "configuration-qemu.toml"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("confidential_guest is false", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_root_disk_image_is_refused_rather_than_measured_without_it()
    {
        // Kernel hashes cover firmware, kernel, initrd and command line: a digest without the disk would attest nothing of the root.
        var config = File.ReadAllText(SnpConfig(string.Empty))
            .Replace($"initrd = \"{_files.Initrd}\"", $"image = \"{_files.Initrd}\"", StringComparison.Ordinal);
        Assert.Contains($"image = \"{_files.Initrd}\"", config, StringComparison.Ordinal);

        var run = await Measure("--config", _files.Write("image.toml", System.Text.Encoding.UTF8.GetBytes(config)));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("hypervisor.qemu.image: a SEV-SNP guest boots from its initrd", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task Missing_firmware_is_named()
    {
        var run = await Measure("--mode", "sev", "--ovmf", _files.Path("absent.fd"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"firmware {_files.Path("absent.fd")}: cannot read", run.Error, StringComparison.Ordinal);
    }

    /// <summary>The shipped SNP configuration pointed at the synthetic firmware, kernel and initrd.</summary>
    private string SnpConfig(string kernelParams, string name = "configuration-qemu-snp.toml")
    {
        var text = File.ReadAllText(Path.Combine(Repository.Configs, "configuration-qemu-snp.toml"))
            .Replace("\"/usr/share/sealpod/vmlinuz\"", $"\"{_files.Kernel}\"", StringComparison.Ordinal)
            .Replace("\"/usr/share/sealpod/sealpod-initrd.img\"", $"\"{_files.Initrd}\"", StringComparison.Ordinal)
            .Replace("\"/usr/share/sealpod/AMDSEV.fd\"", $"\"{_files.Firmware}\"", StringComparison.Ordinal)
            .Replace("kernel_params = \"\"", $"kernel_params = \"{kernelParams}\"", StringComparison.Ordinal);
        return _files.Write(name, System.Text.Encoding.UTF8.GetBytes(text));
    }

    private static string Line(string text, string prefix) =>
        text.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..]
        ?? throw new Xunit.Sdk.XunitException($"no line starting '{prefix}' in:\n{text}");

    private static string Quoted(string line, string prefix)
    {
        Assert.StartsWith(prefix, line, StringComparison.Ordinal);
        return line[prefix.Length..].Trim('"');
    }
}
