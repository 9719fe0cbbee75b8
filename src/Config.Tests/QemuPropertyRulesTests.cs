namespace Sealpod.Config.Tests;

/// <summary>
/// Issue 12.6: <c>machine_accelerators</c> and <c>cpu_features</c> go into QEMU's argv, so only known switches are
/// accepted; host paths (<c>firmware=</c>, <c>initrd=</c>) cannot slip past <c>valid_*_paths</c> through them.
/// </summary>
public sealed class QemuPropertyRulesTests
{
    private const string H = KataAnnotations.HypervisorPrefix;

    private static readonly SealpodConfiguration Enabled =
        Load.Text(Load.MinimalQemu + "enable_annotations = [\"machine_accelerators\", \"cpu_features\"]\n");

    private static string Rejected(string annotation, string value) =>
        Assert.Single(Assert.Throws<ConfigurationException>(
            () => Enabled.WithAnnotations(new Dictionary<string, string> { [H + annotation] = value })).Errors).ToString();

    [Theory]
    [InlineData("firmware=/tmp/evil.fd", "firmware=/tmp/evil.fd")]
    [InlineData("nvdimm=off,initrd=/tmp/evil.img", "initrd=/tmp/evil.img")]
    [InlineData("kernel=/tmp/vmlinuz", "kernel=/tmp/vmlinuz")]
    [InlineData("confidential-guest-support=none", "confidential-guest-support=none")]
    [InlineData("memory-backend=pc.ram", "memory-backend=pc.ram")]
    [InlineData("accel=tcg", "accel=tcg")]
    [InlineData("nvdimm=/tmp/x", "nvdimm=/tmp/x")]
    public void Machine_properties_outside_the_list_are_refused_naming_the_annotation(string value, string refused)
    {
        Assert.StartsWith($"{H}machine_accelerators: property \"{refused}\" is not allowed: expected comma-separated machine switches", Rejected("machine_accelerators", value), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pmu=off,firmware=/tmp/evil.fd", "firmware=/tmp/evil.fd")]
    [InlineData("host-phys-bits-limit=/dev/zero", "host-phys-bits-limit=/dev/zero")]
    [InlineData("+avx2,model-id=Evil", "model-id=Evil")]
    [InlineData("-/x", "-/x")]
    public void Cpu_features_outside_the_grammar_are_refused_naming_the_annotation(string value, string refused)
    {
        Assert.StartsWith($"{H}cpu_features: feature \"{refused}\" is not allowed: expected comma-separated CPU features", Rejected("cpu_features", value), StringComparison.Ordinal);
    }

    [Fact]
    public void The_file_keys_are_held_to_the_same_rules_with_positions()
    {
        var errors = Load.Errors(Load.MinimalQemu + "machine_accelerators = \"initrd=/tmp/evil.img\"\ncpu_features = \"pmu=off,dtb=/tmp/x\"\n");

        Assert.Equal(2, errors.Length);
        Assert.StartsWith("configuration.toml:4:24: hypervisor.qemu.machine_accelerators: property \"initrd=/tmp/evil.img\" is not allowed", errors[0], StringComparison.Ordinal);
        Assert.StartsWith("configuration.toml:5:16: hypervisor.qemu.cpu_features: feature \"dtb=/tmp/x\" is not allowed", errors[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Known_switches_and_features_are_accepted()
    {
        var result = Enabled.WithAnnotations(new Dictionary<string, string>
        {
            [H + "machine_accelerators"] = "nvdimm=off, smm=off,usb=off,hpet=off,vmport",
            [H + "cpu_features"] = "pmu=off,+avx2,-sse4.2,host-phys-bits-limit=48,hv-relaxed=on,topoext",
        });

        var q = Assert.IsType<QemuConfig>(result.Hypervisor);
        Assert.Equal("nvdimm=off, smm=off,usb=off,hpet=off,vmport", q.MachineAccelerators);
        Assert.Equal("pmu=off,+avx2,-sse4.2,host-phys-bits-limit=48,hv-relaxed=on,topoext", q.CpuFeatures);
    }
}
