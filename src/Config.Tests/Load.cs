namespace Sealpod.Config.Tests;

/// <summary>Shortcuts for loading configuration text through the real loader (real files, real parser).</summary>
internal static class Load
{
    /// <summary>The smallest valid QEMU file: an initrd and no shared file system (virtio-fs would need a daemon path).</summary>
    public const string MinimalQemu = """
        [hypervisor.qemu]
        initrd = "/usr/share/sealpod/sealpod-initrd.img"
        shared_fs = "none"

        """;

    /// <summary>
    /// The firmware line a QEMU TEE guest needs; tests append it after the keys they assert positions of, so adding it
    /// does not move them.
    /// </summary>
    public const string TeeFirmware = "firmware = \"/usr/share/sealpod/OVMF.fd\"\n";

    public static SealpodConfiguration Text(string text) => ConfigurationLoader.LoadText(text, "configuration.toml");

    /// <summary>Loads the shipped configs/<paramref name="name"/> from the repository.</summary>
    public static Task<SealpodConfiguration> ShippedAsync(string name) =>
        new ConfigurationLoader().LoadFileAsync(Path.Combine(Repository.Configs, name));

    /// <summary>Loads the test fixture Fixtures/<paramref name="name"/> (copied next to the test binary).</summary>
    public static Task<SealpodConfiguration> FixtureAsync(string name) =>
        new ConfigurationLoader().LoadFileAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    /// <summary>Loads <paramref name="text"/> and returns the exception it must raise.</summary>
    public static ConfigurationException Failing(string text) =>
        Assert.Throws<ConfigurationException>(() => Text(text));

    /// <summary>The error lines, rendered as users see them.</summary>
    public static string[] Errors(string text) => [.. Failing(text).Errors.Select(e => e.ToString())];

    public static string[] Warnings(string text) => [.. Text(text).Warnings.Select(w => w.ToString())];
}
