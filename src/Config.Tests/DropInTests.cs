namespace Sealpod.Config.Tests;

/// <summary>config.d/*.toml next to the main file merge on top, in lexical order, key by key.</summary>
public sealed class DropInTests() : TempDirectoryTest("sealpod-dropin-")
{
    private const string Main = """
        [hypervisor.qemu]
        initrd = "/usr/share/sealpod/sealpod-initrd.img"
        shared_fs = "none"
        default_memory = 1024
        kernel_params = "console=hvc0"
        enable_annotations = ["kernel_params"]

        [agent.kata]
        dial_timeout = 45

        """;

    [Fact]
    public async Task Drop_ins_apply_in_lexical_order_and_later_files_win_key_by_key()
    {
        var main = WriteMain();
        var second = Temp.Write("config.d/20-memory.toml", "[hypervisor.qemu]\ndefault_memory = 4096\n");
        var first = Temp.Write("config.d/10-memory.toml", "[hypervisor.qemu]\ndefault_memory = 3072\ndefault_vcpus = 2\n");
        var agent = Temp.Write("config.d/30-agent.toml", "[agent.kata]\nenable_debug = true\n");
        Temp.Write("config.d/README", "not toml, not read\n");
        Temp.Write("config.d/40-ignored.toml.disabled", "this = is not loaded\n");

        var config = await LoadAsync(main);

        Assert.Equal(4096, config.Hypervisor.DefaultMemoryMiB);
        Assert.Equal(2f, config.Hypervisor.DefaultVcpus);
        Assert.Equal("/usr/share/sealpod/sealpod-initrd.img", config.Hypervisor.Initrd);
        Assert.Equal("console=hvc0", config.Hypervisor.KernelParams.ToString());
        Assert.True(config.Agent.EnableDebug);
        Assert.Equal(TimeSpan.FromSeconds(45), config.Agent.DialTimeout);
        Assert.Equal([main, first, second, agent], config.SourceFiles);
    }

    [Fact]
    public async Task Positions_point_at_the_file_that_set_the_value()
    {
        var main = WriteMain();
        var dropIn = Temp.Write("config.d/50-mem.toml", "# raise memory\n[hypervisor.qemu]\ndefault_memory = 4096\n");

        var config = await LoadAsync(main);

        Assert.Equal(new Sealpod.Config.Toml.TomlPosition(dropIn, 3, 18), config.Sources.GetValuePosition("hypervisor.qemu.default_memory"));
        Assert.Equal(new Sealpod.Config.Toml.TomlPosition(main, 2, 10), config.Sources.GetValuePosition("hypervisor.qemu.initrd"));
    }

    [Fact]
    public async Task Errors_in_a_drop_in_name_the_drop_in()
    {
        var main = WriteMain();
        var dropIn = Temp.Write("config.d/50-bad.toml", "[hypervisor.qemu]\ndefault_memory = \"4G\"\n");

        var e = await FailsAsync(main);

        Assert.Equal($"{dropIn}:2:18: hypervisor.qemu.default_memory: expected an integer number of MiB >= 256, found string \"4G\"", Assert.Single(e.Errors).ToString());
    }

    [Fact]
    public async Task Errors_are_listed_in_load_order_main_file_first()
    {
        var main = WriteMain("[runtime]\nenable_debug = 1\n");
        var dropIn = Temp.Write("config.d/50-bad.toml", "[hypervisor.qemu]\nmemory_slots = 0\n");

        var e = await FailsAsync(main);

        // "config.d/..." sorts before "configuration.toml" as text; the main file still comes first.
        Assert.Equal([main, dropIn], e.Errors.Select(x => x.Position?.File));
    }

    [Fact]
    public async Task Arrays_are_replaced_whole_not_appended()
    {
        var main = WriteMain();
        Temp.Write("config.d/10.toml", "[hypervisor.qemu]\nenable_annotations = [\"default_memory\"]\n");

        var config = await LoadAsync(main);

        Assert.Equal(["default_memory"], config.Hypervisor.EnableAnnotations);
    }

    [Fact]
    public async Task A_drop_in_may_add_a_whole_section()
    {
        var main = WriteMain();
        Temp.Write("config.d/10.toml", "[runtime]\nexperimental_force_guest_pull = true\n");

        var config = await LoadAsync(main);

        Assert.True(config.Runtime.ExperimentalForceGuestPull);
    }

    [Fact]
    public async Task Syntax_errors_in_several_files_are_all_reported()
    {
        var main = WriteMain("broken =\n");
        var dropIn = Temp.Write("config.d/10.toml", "[hypervisor.qemu\n");

        var e = await FailsAsync(main);

        Assert.Equal([main, dropIn], e.Errors.Select(x => x.Position?.File));
    }

    [Fact]
    public async Task A_drop_in_adding_a_second_hypervisor_is_an_error()
    {
        var main = WriteMain();
        Temp.Write("config.d/10.toml", "[hypervisor.clh]\nimage = \"/i.img\"\n");

        var e = await FailsAsync(main);

        Assert.Contains(e.Errors, x => x.Key == "hypervisor.clh" && x.Message.StartsWith("only one [hypervisor.*] section is allowed", StringComparison.Ordinal));
    }

    /// <summary>Writes the main file: <see cref="Main"/>, then <paramref name="extra"/>.</summary>
    private string WriteMain(string extra = "") => Temp.Write("configuration.toml", Main + extra);

    private static Task<SealpodConfiguration> LoadAsync(string main) => new ConfigurationLoader().LoadFileAsync(main);

    private static Task<ConfigurationException> FailsAsync(string main) => Assert.ThrowsAsync<ConfigurationException>(() => LoadAsync(main));
}
