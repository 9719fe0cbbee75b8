namespace Sealpod.Config.Tests;

/// <summary>
/// <c>[runtime] disable_guest_seccomp</c>: whether the guest applies a container's seccomp profile. Kata's default
/// (DEFDISABLEGUESTSECCOMP in its runtime Makefile) is true for every configuration it ships, and so is Sealpod's.
/// </summary>
public sealed class GuestSeccompConfigTests
{
    [Fact]
    public void Left_out_it_defaults_to_true_as_in_kata()
    {
        Assert.True(Load.Text(Load.MinimalQemu).Runtime.DisableGuestSeccomp);
    }

    [Theory]
    [InlineData("false", false)]
    [InlineData("true", true)]
    public void The_runtime_section_sets_it(string value, bool expected)
    {
        Assert.Equal(expected, Load.Text(Load.MinimalQemu + $"[runtime]\ndisable_guest_seccomp = {value}\n").Runtime.DisableGuestSeccomp);
    }

    [Fact]
    public void A_value_that_is_not_a_boolean_is_refused_naming_the_key()
    {
        Assert.Equal(
            ["configuration.toml:5:25: runtime.disable_guest_seccomp: expected true or false, found string \"no\""],
            Load.Errors(Load.MinimalQemu + "[runtime]\ndisable_guest_seccomp = \"no\"\n"));
    }

    [Fact]
    public void Every_shipped_configuration_keeps_katas_default()
    {
        var files = Directory.GetFiles(Repository.Configs, "configuration-*.toml");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            Assert.True(ConfigurationLoader.LoadText(File.ReadAllText(file), Path.GetFileName(file)).Runtime.DisableGuestSeccomp, file);
        }
    }

    [Fact]
    public void The_runtime_annotation_overrides_it_and_a_bad_value_names_the_annotation()
    {
        var config = Load.Text(Load.MinimalQemu);
        const string Annotation = KataAnnotations.RuntimePrefix + "disable_guest_seccomp";

        Assert.False(config.WithAnnotations(new Dictionary<string, string> { [Annotation] = "false" }).Runtime.DisableGuestSeccomp);
        var error = Assert.Throws<ConfigurationException>(() => config.WithAnnotations(new Dictionary<string, string> { [Annotation] = "maybe" }));
        Assert.Contains(Annotation, error.Errors.Single().ToString(), StringComparison.Ordinal);
    }
}
