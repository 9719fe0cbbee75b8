namespace Sealpod.Linux.Tests.Netlink;

[Trait("Category", "Root")]
public sealed class NetworkNamespaceTests
{
    [Fact]
    public async Task The_work_runs_in_the_namespace_and_the_caller_stays_where_it_was()
    {
        using var space = new TestNamespace();
        var callerBefore = NamespaceOfThisThread();

        var inside = await NetworkNamespace.RunAsync(space.Path, NamespaceOfThisThread);

        // The namespace's identity is its inode: the link in /proc names it ("net:[4026532...]").
        Assert.Equal($"net:[{Inode(space.Path)}]", inside);
        Assert.NotEqual(callerBefore, inside);
        Assert.Equal(callerBefore, NamespaceOfThisThread());
    }

    [Fact]
    public async Task An_exception_in_the_work_reaches_the_caller()
    {
        using var space = new TestNamespace();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => NetworkNamespace.RunAsync(space.Path, () => throw new InvalidOperationException("from inside")));

        Assert.Equal("from inside", error.Message);
    }

    [Fact]
    public async Task A_path_that_is_not_a_namespace_is_refused_by_setns()
    {
        var error = await Assert.ThrowsAsync<SystemCallException>(() => NetworkNamespace.RunAsync("/proc/self/status", () => 1));

        Assert.Equal(LibC.EINVAL, error.Errno);
        Assert.Equal("setns CLONE_NEWNET /proc/self/status: Invalid argument (errno 22)", error.Message);
    }

    private static string NamespaceOfThisThread() => new FileInfo("/proc/thread-self/ns/net").LinkTarget!;

    private static ulong Inode(string path)
    {
        var output = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stat", ["-L", "-c", "%i", path]) { RedirectStandardOutput = true })!;
        var text = output.StandardOutput.ReadToEnd();
        output.WaitForExit();
        return ulong.Parse(text.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
