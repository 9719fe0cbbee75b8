namespace Sealpod.Config.Tests;

/// <summary>Invalid TOML in a configuration: every error, each at file:line:column, in one exception.</summary>
public sealed class TomlSyntaxErrorTests
{
    [Fact]
    public void A_syntax_error_names_file_line_and_column()
    {
        var error = Assert.Single(Load.Errors(Load.MinimalQemu + "default_memory 2048\n"));
        Assert.StartsWith("configuration.toml:4:16: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicate_key_names_the_key_and_both_places()
    {
        var error = Assert.Single(Load.Errors(Load.MinimalQemu + "initrd = \"/other.img\"\n"));
        Assert.StartsWith("configuration.toml:4:1: ", error, StringComparison.Ordinal);
        Assert.Contains("`hypervisor.qemu.initrd`", error, StringComparison.Ordinal);
        Assert.Contains("already defined at (2,1)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_error_of_a_file_is_reported_together()
    {
        var errors = Load.Errors(Load.MinimalQemu + "default_memory = \nshared_fs = \"none\"\n[agent.kata]\ndial_timeout = \n");
        Assert.Equal(["configuration.toml:4:18: ", "configuration.toml:7:16: "], errors.Select(e => e[..e.IndexOf(' ', StringComparison.Ordinal)] + " "));
    }
}
