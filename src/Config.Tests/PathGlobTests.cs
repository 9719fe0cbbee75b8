namespace Sealpod.Config.Tests;

/// <summary>glob(3) matching as Go's filepath.Match: stars and '?' never cross '/'.</summary>
public sealed class PathGlobTests
{
    [Theory]
    [InlineData("/usr/bin/qemu-system-*", "/usr/bin/qemu-system-x86_64", true)]
    [InlineData("/usr/bin/qemu-system-*", "/usr/bin/qemu-system-x86_64/../../evil", false)]
    [InlineData("/usr/share/sealpod/*", "/usr/share/sealpod/a/b", false)]
    [InlineData("/usr/share/*/vmlinuz", "/usr/share/sealpod/vmlinuz", true)]
    [InlineData("/opt/*/bin/*", "/opt/x/bin/y", true)]
    [InlineData("/opt/a*b*c", "/opt/axxbyyc", true)]
    [InlineData("/opt/a*b*c", "/opt/axxbyy", false)]
    [InlineData("/dev/?random", "/dev/urandom", true)]
    [InlineData("/dev/?random", "/dev/random", false)]
    [InlineData("/dev/[ru]*", "/dev/urandom", true)]
    [InlineData("/dev/[^u]*", "/dev/urandom", false)]
    [InlineData("/dev/[!u]*", "/dev/random", true)]
    [InlineData("/x/[a-c]", "/x/b", true)]
    [InlineData("/x/[a-c]", "/x/d", false)]
    [InlineData("/x/\\*", "/x/*", true)]
    [InlineData("/x/\\*", "/x/y", false)]
    [InlineData("/exact", "/exact", true)]
    [InlineData("/exact", "/exact/", false)]
    [InlineData("", "", true)]
    public void Matches_like_filepath_Match(string pattern, string path, bool expected)
    {
        Assert.Equal(expected, PathGlob.IsMatch(pattern, path));
    }

    [Theory]
    [InlineData("/usr/[bin", "malformed character class at offset 5")]
    [InlineData("/x/[]", "malformed character class at offset 3")]
    [InlineData("/x/[z-a]", "malformed character class at offset 3")]
    [InlineData("/x\\", "trailing backslash")]
    public void Malformed_patterns_are_explained_and_match_nothing(string pattern, string reason)
    {
        Assert.Equal(reason, PathGlob.Validate(pattern));
        Assert.False(PathGlob.IsMatch(pattern, pattern));
    }
}
