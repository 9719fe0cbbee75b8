namespace Sealpod.TestSupport;

/// <summary>Debian's Go toolchain (golang-go), which builds the Go peers the interop tests talk to.</summary>
public static class GoToolchain
{
    /// <summary>GOPATH holding Debian's Go sources (golang-*-dev: containerd's ttrpc 1.1.x, grpc-go, protobuf).</summary>
    public const string DebianGoPath = "/usr/share/gocode";

    /// <summary>The go binary on PATH or in Debian's /usr/lib/go/bin, or null when Go is not installed.</summary>
    public static string? FindGo()
    {
        string[] directories = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries);
        return directories.Append("/usr/lib/go/bin")
            .Select(directory => Path.Combine(directory, "go"))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// The environment of a GOPATH-mode build against Debian's packaged sources (no module download), with
    /// <paramref name="extraGoPaths"/> (the repository's own Go packages) after Debian's.
    /// </summary>
    public static Dictionary<string, string?> GoPathEnvironment(params string[] extraGoPaths) => new()
    {
        ["GOPATH"] = string.Join(':', [DebianGoPath, .. extraGoPaths]),
        ["GO111MODULE"] = "off",
        ["GOFLAGS"] = string.Empty,
    };
}
