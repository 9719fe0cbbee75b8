namespace Sealpod.Config.Tests;

/// <summary>
/// PathGlob is Go's filepath.Match: containerd applies it to pod_annotations and config imports, Kata (through
/// filepath.Glob, element by element) to the valid_*_paths lists. The expected values are what Go's filepath.Match returns for the same pattern and name.
/// </summary>
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
    [InlineData("/dev/[^u]*", "/dev/random", true)]
    [InlineData("/x/[a-c]", "/x/b", true)]
    [InlineData("/x/[a-c]", "/x/d", false)]
    [InlineData("/x/\\*", "/x/*", true)]
    [InlineData("/x/\\*", "/x/y", false)]
    [InlineData("/exact", "/exact", true)]
    [InlineData("/exact", "/exact/", false)]
    [InlineData("", "", true)]
    public void Matches_paths_like_filepath_Match(string pattern, string path, bool expected)
    {
        Assert.Equal(expected, PathGlob.IsMatch(pattern, path));
    }

    // Kata checks valid_*_paths with filepath.Glob, one path element at a time: where Match would let a class take a
    // '/', Glob (and MatchesPath) refuses the deeper path; a class the separator cuts is malformed.
    [Theory]
    [InlineData("/usr/bin/qemu[^.]*", "/usr/bin/qemu/evil", true, false)]
    [InlineData("/x/[^a]", "/x//", true, false)]
    [InlineData("/x/[ -~]y", "/x//y", true, false)]
    [InlineData("/x/[/]", "/x//", true, false)]
    [InlineData("/usr/bin/qemu[^.]*", "/usr/bin/qemu_x86", true, true)]
    [InlineData("/usr/share/*/vmlinuz", "/usr/share/sealpod/vmlinuz", true, true)]
    [InlineData("/usr/share/sealpod/*", "/usr/share/sealpod/a/b", false, false)]
    [InlineData("/exact", "/exact", true, true)]
    [InlineData("/exact", "/exact/", false, false)]
    public void Allow_list_paths_match_element_by_element_like_filepath_Glob(string pattern, string path, bool match, bool glob)
    {
        Assert.Equal(match, PathGlob.IsMatch(pattern, path));
        Assert.Equal(glob, PathGlob.MatchesPath(pattern, path));
    }

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
    public void Matches_containerd_names_like_filepath_Match(string pattern, string name, bool expected)
    {
        Assert.Equal(expected, PathGlob.IsMatch(pattern, name));
    }

    /// <summary>
    /// Where the two matchers Sealpod had before disagreed with Go: the Config one negated classes with '!' and refused
    /// reversed ranges, the HostCheck one took a trailing '\' as a literal; both read '?' and classes per UTF-16 unit.
    /// </summary>
    [Theory]
    [InlineData("[!u]x", "ux", true)]
    [InlineData("[!u]x", "!x", true)]
    [InlineData("[!u]x", "ax", false)]
    [InlineData("/dev/[!u]*", "/dev/random", false)]
    [InlineData("[z-a]", "m", false)]
    [InlineData("[z-a]", "z", false)]
    [InlineData("[^z-a]", "m", true)]
    [InlineData("x\\", "x\\", false)]
    [InlineData("*\\", "a\\", false)]
    [InlineData("[\\]]", "]", true)]
    [InlineData("[\\-]", "-", true)]
    [InlineData("[*]x", "*x", true)]
    [InlineData("[*]x", "ax", false)]
    [InlineData("a[", "b", false)]
    [InlineData("?", "\u20ac", true)]
    [InlineData("??", "\u20ac", false)]
    [InlineData("?", "\U0001F600", true)]
    [InlineData("[\U0001F600]", "\U0001F600", true)]
    [InlineData("[^a]", "\U0001F600", true)]
    [InlineData("*??", "\u20ac", true)]
    [InlineData("a*/b", "a/b", true)]
    [InlineData("a*b", "a/b", false)]
    [InlineData("*x", "xxx", true)]
    [InlineData("a*b*", "ab/c", false)]
    public void Matches_the_edge_cases_like_filepath_Match(string pattern, string name, bool expected)
    {
        Assert.Equal(expected, PathGlob.IsMatch(pattern, name));
    }

    [Theory]
    [InlineData("/usr/[bin", "malformed character class at offset 5")]
    [InlineData("/x/[]", "malformed character class at offset 3")]
    [InlineData("/x/[a-", "malformed character class at offset 3")]
    [InlineData("/x/*/[\\", "malformed character class at offset 5")]
    [InlineData("/\u20ac/[]", "malformed character class at offset 3")]
    [InlineData("/x\\", "trailing backslash")]
    [InlineData("/x*\\", "trailing backslash")]
    public void Malformed_patterns_are_explained_and_match_nothing(string pattern, string reason)
    {
        Assert.Equal(reason, PathGlob.Validate(pattern));
        Assert.False(PathGlob.IsMatch(pattern, pattern));
    }

    [Theory]
    [InlineData("/x/[z-a]")]
    [InlineData("/x/[!a]")]
    [InlineData("/x/[\\]]*")]
    [InlineData("")]
    public void Valid_patterns_are_accepted(string pattern)
    {
        Assert.Null(PathGlob.Validate(pattern));
    }
}
