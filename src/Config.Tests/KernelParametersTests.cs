namespace Sealpod.Config.Tests;

public sealed class KernelParametersTests
{
    [Fact]
    public void Parse_keeps_order_values_and_quotes()
    {
        var p = KernelParameters.Parse("  console=hvc0 quiet  dm-mod.create=\"dmverity,,,ro,0 8 verity 1\" a=b=c ");

        Assert.Equal(
        [
            new KernelParameter("console", "hvc0"),
            new KernelParameter("quiet", null),
            new KernelParameter("dm-mod.create", "\"dmverity,,,ro,0 8 verity 1\""),
            new KernelParameter("a", "b=c"),
        ], p);
        Assert.Equal("console=hvc0 quiet dm-mod.create=\"dmverity,,,ro,0 8 verity 1\" a=b=c", p.ToString());
    }

    [Fact]
    public void Merge_replaces_same_key_in_place_and_appends_new_keys()
    {
        var defaults = KernelParameters.Parse("panic=1 agent.log=info systemd.unified_cgroup_hierarchy=1");
        var user = KernelParameters.Parse("agent.log=debug agent.aa_kbc_params=cc_kbc::http://kbs:8080");

        Assert.Equal(
            "panic=1 agent.log=debug systemd.unified_cgroup_hierarchy=1 agent.aa_kbc_params=cc_kbc::http://kbs:8080",
            defaults.Merge(user).ToString());
        Assert.Equal("debug", defaults.Merge(user).GetValue("agent.log"));
    }

    [Fact]
    public void With_collapses_duplicates_of_the_key()
    {
        var p = KernelParameters.Parse("console=ttyS0 quiet console=hvc0").With(new KernelParameter("console", "hvc1"));

        Assert.Equal("console=hvc1 quiet", p.ToString());
    }

    [Theory]
    [InlineData("a=\"b", "unterminated double quote at offset 2")]
    [InlineData("ok =x", "parameter \"=x\" has an empty name")]
    [InlineData("a=x\u00E0b", "character U+00E0 at offset 3 is not printable ASCII or whitespace (the kernel splits on byte 0xA0 and stops at NUL)")]
    [InlineData("a=x\0b", "character U+0000 at offset 3 is not printable ASCII or whitespace (the kernel splits on byte 0xA0 and stops at NUL)")]
    [InlineData("\"a b\"=c", "parameter \"\"a b\"=c\" has a double quote in its name; quote only the value (name=\"a b\")")]
    public void Malformed_lines_are_rejected(string text, string error)
    {
        Assert.False(KernelParameters.TryParse(text, out _, out var message));
        Assert.Equal(error, message);
        Assert.Throws<FormatException>(() => KernelParameters.Parse(text));
    }

    [Theory]
    [InlineData("a=\"b c\"d e")]
    [InlineData("x=\"y z\"   q=a\"b c\"d\tr")]
    public void Parameters_split_where_the_kernel_splits(string text)
    {
        var parameters = KernelParameters.Parse(text);

        Assert.Equal(
            Sealpod.Contract.Kernel.KernelCommandLineTokenizer.Split(text).Select(a => a.Key),
            parameters.Select(p => p.Key));
        Assert.Equal(parameters, KernelParameters.Parse(parameters.ToString()));
    }

    [Fact]
    public void Empty_text_is_the_empty_list_and_equality_is_by_value()
    {
        Assert.Same(KernelParameters.Empty, KernelParameters.Parse("   "));
        Assert.Equal(KernelParameters.Parse("a=1 b"), KernelParameters.Parse("a=1  b"));
        Assert.NotEqual(KernelParameters.Parse("a=1 b"), KernelParameters.Parse("b a=1"));
    }
}
