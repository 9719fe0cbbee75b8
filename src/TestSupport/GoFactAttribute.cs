namespace Sealpod.TestSupport;

/// <summary>
/// A test that needs the Go toolchain. It is skipped, saying why, only when <c>go</c> is not installed;
/// everything else missing (such as containerd's ttrpc sources) makes it fail.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class GoFactAttribute : FactAttribute
{
    public GoFactAttribute()
    {
        if (GoToolchain.FindGo() is null)
        {
            Skip = "Go interop skipped: no `go` on PATH (install golang-go and golang-github-containerd-ttrpc-dev).";
        }
    }
}
