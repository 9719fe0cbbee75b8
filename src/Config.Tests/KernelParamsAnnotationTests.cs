using Sealpod.Contract.Kernel;

namespace Sealpod.Config.Tests;

/// <summary>
/// The kernel_params annotation is checked with the splitter the guest kernel and agent use, so a value the host
/// allows cannot become other parameters (rdinit=, agent.runtime=) in the guest.
/// </summary>
public sealed class KernelParamsAnnotationTests
{
    private const string Annotation = KataAnnotations.HypervisorPrefix + "kernel_params";

    private static readonly SealpodConfiguration Base = Load.Text("""
        [hypervisor.qemu]
        initrd = "/usr/share/sealpod/sealpod-initrd.img"
        shared_fs = "none"
        kernel_params = "console=hvc0"
        enable_annotations = ["kernel_params"]
        valid_annotation_kernel_params = ["agent.log"]

        """);

    private static SealpodConfiguration Apply(string value) =>
        Base.WithAnnotations(new Dictionary<string, string> { [Annotation] = value });

    [Theory]
    [InlineData("agent.log=x\u00E0rdinit=/bin/sh", "U+00E0 at offset 11")]
    [InlineData("agent.log=x\u00A0agent.runtime=/tmp/evil", "U+00A0 at offset 11")]
    [InlineData("agent.log=x\tagent.runtime=/tmp/evil", "U+0009 at offset 11")]
    [InlineData("agent.log=x\0 rdinit=/bin/sh", "U+0000 at offset 11")]
    public void Values_outside_printable_ASCII_are_refused_naming_the_annotation(string value, string found)
    {
        var error = Assert.Single(Assert.Throws<ConfigurationException>(() => Apply(value)).Errors).ToString();

        Assert.Equal($"{Annotation}: expected printable ASCII (0x20-0x7E) only, found {found}", error);
    }

    [Theory]
    [InlineData("agent.log=\"debug rdinit=/bin/sh \"")]
    [InlineData("agent.log=\"x agent.runtime=/tmp/evil \"")]
    [InlineData("agent.log=a\"b rdinit=/bin/sh\"")]
    [InlineData("agent.log=debug")]
    public void What_the_host_allows_is_what_the_guest_sees(string value)
    {
        var parameters = Apply(value).Hypervisor.KernelParams;
        var guest = KernelCommandLineTokenizer.Split(parameters.ToString());

        Assert.Equal(parameters.Select(p => p.Key), guest.Select(a => a.Key));
        Assert.DoesNotContain(guest, a => a.Key is "rdinit" or "agent.runtime");
    }

    [Theory]
    [InlineData("agent.log=debug rdinit=/bin/sh", "\"rdinit\"")]
    [InlineData("\"agent.log=x\" rdinit=/bin/sh", "double quote in its name")]
    [InlineData("agent.log=\"x", "unterminated double quote at offset 10")]
    public void Smuggled_or_malformed_parameters_are_refused(string value, string part)
    {
        var error = Assert.Single(Assert.Throws<ConfigurationException>(() => Apply(value)).Errors).ToString();

        Assert.StartsWith(Annotation + ": ", error, StringComparison.Ordinal);
        Assert.Contains(part, error, StringComparison.Ordinal);
    }
}
