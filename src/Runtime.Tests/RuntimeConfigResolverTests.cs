namespace Sealpod.Runtime.Tests;

/// <summary>Resolution against the shipped coco-dev configuration file.</summary>
public sealed class RuntimeConfigResolverTests
{
    private static readonly string ShippedConfig = Repository.ShippedConfig;

    [Fact]
    public async Task An_allowed_annotation_changes_the_configuration()
    {
        var resolver = new RuntimeConfigResolver(new ConfigurationLoader(), NullLogger.Instance);

        var configuration = await resolver.ResolveAsync(ShippedConfig, new Dictionary<string, string> { ["io.katacontainers.config.hypervisor.default_memory"] = "1536" }, CancellationToken.None);

        Assert.Equal(1536, configuration.Qemu!.DefaultMemoryMiB);
    }

    [Fact]
    public async Task A_refused_annotation_fails_naming_it()
    {
        var resolver = new RuntimeConfigResolver(new ConfigurationLoader(), NullLogger.Instance);

        var error = await Assert.ThrowsAsync<InvalidArgumentException>(() => resolver.ResolveAsync(
            ShippedConfig, new Dictionary<string, string> { ["io.katacontainers.config.hypervisor.path"] = "/tmp/evil-qemu" }, CancellationToken.None));

        Assert.Contains("io.katacontainers.config.hypervisor.path", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_explicit_file_fails_naming_it()
    {
        var resolver = new RuntimeConfigResolver(new ConfigurationLoader(), NullLogger.Instance);

        var error = await Assert.ThrowsAsync<InvalidArgumentException>(() => resolver.ResolveAsync("/nonexistent/sealpod.toml", new Dictionary<string, string>(), CancellationToken.None));

        Assert.Contains("/nonexistent/sealpod.toml", error.Message, StringComparison.Ordinal);
    }
}
