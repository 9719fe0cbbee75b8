namespace Sealpod.HostCheck.Tests;

/// <summary>GlobPattern follows Go's filepath.Match, which containerd applies to pod_annotations and imports.</summary>
public sealed class GlobPatternTests
{
    [Theory]
    [InlineData("io.katacontainers.*", "io.katacontainers.config.hypervisor.cc_init_data", true)]
    [InlineData("io.katacontainers.*", "io.katacontainers.", true)]
    [InlineData("io.katacontainers.*", "io.katacontainersX", false)]
    [InlineData("io.katacontainers.config.hypervisor.*", "io.katacontainers.config.agent.policy", false)]
    [InlineData("*", "anything.at.all", true)]
    [InlineData("*", "a/b", false)]
    [InlineData("io.kata*.config.*", "io.katacontainers.config.x", true)]
    [InlineData("io.?ata*", "io.kata", true)]
    [InlineData("io.?ata*", "io.ata", false)]
    [InlineData("[a-c]x", "bx", true)]
    [InlineData("[a-c]x", "dx", false)]
    [InlineData("[^a-c]x", "dx", true)]
    [InlineData("[^a-c]x", "ax", false)]
    [InlineData("\\*", "*", true)]
    [InlineData("\\*", "a", false)]
    [InlineData("*.toml", "50-sealpod.toml", true)]
    [InlineData("*.toml", "README", false)]
    [InlineData("[]a]", "a", false)]
    [InlineData("[a-", "a", false)]
    [InlineData("exact", "exact", true)]
    [InlineData("exact", "exactly", false)]
    public void Matches_like_go_filepath_match(string pattern, string name, bool expected) =>
        Assert.Equal(expected, GlobPattern.IsMatch(pattern, name));
}
