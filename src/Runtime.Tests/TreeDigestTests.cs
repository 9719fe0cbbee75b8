namespace Sealpod.Runtime.Tests;

/// <summary>The image cache's key names a tree's content: metadata copied onto other bytes is another key.</summary>
public sealed class TreeDigestTests() : TempDirectoryTest("sealpod-digest-")
{
    private static readonly DateTime Fixed = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void The_same_paths_modes_sizes_and_times_over_other_bytes_give_another_digest()
    {
        var tenant = Tree("tenant", "secret-a");
        var attacker = Tree("attacker", "secret-b");

        Assert.NotEqual(TreeDigest.Compute(tenant), TreeDigest.Compute(attacker));
    }

    [Fact]
    public void The_same_tree_built_twice_gives_the_same_digest()
    {
        Assert.Equal(TreeDigest.Compute(Tree("one", "content")), TreeDigest.Compute(Tree("two", "content")));
    }

    [Fact]
    public unsafe void An_extended_attribute_changes_the_digest()
    {
        var plain = Tree("plain", "content");
        var marked = Tree("marked", "content");
        var value = "cap"u8.ToArray();
        fixed (byte* pointer = value)
        {
            Assert.Equal(0, LibC.LSetXattr(Path.Combine(marked, "bin", "tool"), "user.sealpod-test", pointer, (nuint)value.Length, 0));
        }

        File.SetLastWriteTimeUtc(Path.Combine(marked, "bin", "tool"), Fixed);
        Assert.NotEqual(TreeDigest.Compute(plain), TreeDigest.Compute(marked));
    }

    [Fact]
    public void A_link_target_of_the_same_length_changes_the_digest()
    {
        var a = Tree("a", "content");
        var b = Tree("b", "content");
        File.CreateSymbolicLink(Path.Combine(a, "link"), "/etc/aaa");
        File.CreateSymbolicLink(Path.Combine(b, "link"), "/etc/bbb");

        Assert.NotEqual(TreeDigest.Compute(a), TreeDigest.Compute(b));
    }

    private string Tree(string name, string content)
    {
        var root = Temp.Combine(name);
        Directory.CreateDirectory(Path.Combine(root, "bin"));
        var tool = Path.Combine(root, "bin", "tool");
        File.WriteAllText(tool, content);
        File.SetUnixFileMode(tool, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        File.SetLastWriteTimeUtc(tool, Fixed);
        Directory.SetLastWriteTimeUtc(Path.Combine(root, "bin"), Fixed);
        Directory.SetLastWriteTimeUtc(root, Fixed);
        return root;
    }
}
