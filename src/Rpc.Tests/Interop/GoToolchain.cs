namespace Sealpod.Rpc.Tests.Interop;

/// <summary>Finds the Go toolchain that builds the interop peer (Debian's golang-go).</summary>
internal static class GoToolchain
{
    /// <summary>GOPATH holding Debian's Go sources, containerd's ttrpc 1.1.x among them.</summary>
    public const string DebianGoPath = "/usr/share/gocode";

    public static string? FindGo()
    {
        string[] directories = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);
        return directories.Append("/usr/lib/go/bin")
            .Select(directory => Path.Combine(directory, "go"))
            .FirstOrDefault(File.Exists);
    }
}
