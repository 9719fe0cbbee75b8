namespace Sealpod.Linux.Tests.Cgroups;

public sealed class CgroupPathTests
{
    [Theory]
    [InlineData("/kubepods/besteffort/pod1", "/kubepods/besteffort/pod1")]
    [InlineData("/sealpod/a/", "/sealpod/a")]
    public void A_plain_absolute_path_is_kept(string path, string expected) => Assert.Equal(expected, CgroupPath.Validate(path));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("kubepods/pod1", "not absolute")]
    [InlineData("/", "root")]
    [InlineData("/a/../../etc", "'..'")]
    [InlineData("/a/./b", "'.'")]
    [InlineData("/a//b", "empty component")]
    [InlineData("/a\0b", "NUL")]
    public void A_path_that_could_leave_the_hierarchy_is_refused_saying_why(string path, string why)
    {
        var error = Assert.Throws<ArgumentException>(() => CgroupPath.Validate(path));

        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }
}
