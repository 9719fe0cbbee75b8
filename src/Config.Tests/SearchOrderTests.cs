namespace Sealpod.Config.Tests;

/// <summary>Explicit path, then $SEALPOD_CONF_FILE, then /etc, then /usr/share/defaults, all under a fake root.</summary>
public sealed class SearchOrderTests
{
    private const string EtcPath = "etc/sealpod/configuration.toml";
    private const string SharePath = "usr/share/defaults/sealpod/configuration.toml";

    private static ConfigurationLoader Loader(TempDirectory root, string? environmentValue = null) => new(new ConfigurationLoaderOptions
    {
        FileSystemRoot = root.Path,
        GetEnvironmentVariable = name => name == ConfigurationLoader.ConfigFileEnvironmentVariable ? environmentValue : null,
    });

    private static string WithMemory(int mib) => Load.MinimalQemu + $"default_memory = {mib}\n";

    [Fact]
    public async Task Explicit_path_wins_over_everything()
    {
        using var root = new TempDirectory();
        root.Write(EtcPath, WithMemory(1000));
        root.Write(SharePath, WithMemory(2000));
        root.Write("opt/env.toml", WithMemory(3000));
        root.Write("opt/explicit.toml", WithMemory(4000));

        var config = await Loader(root, "/opt/env.toml").LoadAsync("/opt/explicit.toml");

        Assert.Equal(4000, config.Hypervisor.DefaultMemoryMiB);
        Assert.Equal([Path.Join(root.Path, "/opt/explicit.toml")], config.SourceFiles);
    }

    [Fact]
    public async Task Environment_variable_comes_next()
    {
        using var root = new TempDirectory();
        root.Write(EtcPath, WithMemory(1000));
        root.Write("opt/env.toml", WithMemory(3000));

        var config = await Loader(root, "/opt/env.toml").LoadAsync();

        Assert.Equal(3000, config.Hypervisor.DefaultMemoryMiB);
    }

    [Fact]
    public async Task Etc_comes_before_usr_share_defaults()
    {
        using var root = new TempDirectory();
        root.Write(EtcPath, WithMemory(1000));
        root.Write(SharePath, WithMemory(2000));

        Assert.Equal(1000, (await Loader(root).LoadAsync()).Hypervisor.DefaultMemoryMiB);
    }

    [Fact]
    public async Task Usr_share_defaults_is_the_last_resort()
    {
        using var root = new TempDirectory();
        root.Write(SharePath, WithMemory(2000));

        Assert.Equal(2000, (await Loader(root).LoadAsync()).Hypervisor.DefaultMemoryMiB);
    }

    [Fact]
    public async Task Nothing_found_lists_every_place_searched()
    {
        using var root = new TempDirectory();
        Directory.CreateDirectory(Path.Join(root.Path, EtcPath));

        var e = await Assert.ThrowsAsync<ConfigurationNotFoundException>(() => Loader(root).LoadAsync());

        Assert.Equal(
        [
            "explicit path (none given)",
            "$SEALPOD_CONF_FILE (not set)",
            $"{Path.Join(root.Path, "/etc/sealpod/configuration.toml")} (a directory, not a file)",
            $"{Path.Join(root.Path, "/usr/share/defaults/sealpod/configuration.toml")} (not found)",
        ], e.Searched);
        Assert.StartsWith("no configuration file found; searched: explicit path (none given), $SEALPOD_CONF_FILE (not set), ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_explicit_path_does_not_fall_through_to_the_defaults()
    {
        using var root = new TempDirectory();
        root.Write(EtcPath, WithMemory(1000));

        var e = await Assert.ThrowsAsync<ConfigurationNotFoundException>(() => Loader(root).LoadAsync("/opt/missing.toml"));

        Assert.Equal(["explicit path /opt/missing.toml (not found)"], e.Searched);
    }

    [Fact]
    public async Task A_missing_environment_file_does_not_fall_through_either()
    {
        using var root = new TempDirectory();
        root.Write(EtcPath, WithMemory(1000));

        var e = await Assert.ThrowsAsync<ConfigurationNotFoundException>(() => Loader(root, "/opt/gone.toml").LoadAsync());

        Assert.Equal(["$SEALPOD_CONF_FILE=/opt/gone.toml (not found)"], e.Searched);
    }

    [Fact]
    public async Task Drop_ins_are_taken_from_next_to_the_file_that_was_found()
    {
        using var root = new TempDirectory();
        root.Write(SharePath, WithMemory(2000));
        root.Write("usr/share/defaults/sealpod/config.d/10.toml", "[hypervisor.qemu]\ndefault_memory = 2500\n");
        root.Write("etc/sealpod/config.d/10.toml", "[hypervisor.qemu]\ndefault_memory = 9999\n");

        Assert.Equal(2500, (await Loader(root).LoadAsync()).Hypervisor.DefaultMemoryMiB);
    }

    [Fact]
    public void Config_body_text_loads_without_any_file()
    {
        var config = ConfigurationLoader.LoadText(WithMemory(1500));

        Assert.Equal(1500, config.Hypervisor.DefaultMemoryMiB);
        Assert.Equal(["ConfigBody"], config.SourceFiles);
        Assert.Equal("ConfigBody", config.Sources.GetValuePosition("hypervisor.qemu.default_memory")?.File);
    }

    [Fact]
    public async Task Loading_honours_cancellation()
    {
        using var root = new TempDirectory();
        var path = root.Write("c.toml", WithMemory(2000));
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new ConfigurationLoader().LoadFileAsync(path, cts.Token));
    }
}
