namespace Sealpod.IntegrationTests;

/// <summary>Paths in the source tree and the build folder the tests use.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Build => Path.Combine(Root, "build");

    public static string GuestDirectory => Environment.GetEnvironmentVariable("GUEST_OUT") is { Length: > 0 } dir ? dir : Path.Combine(Build, "guest");

    /// <summary>
    /// <c>$SEALPOD_SHIM_BINARY</c> (the Makefile points it at the NativeAOT product it just published), else the
    /// framework-dependent shim built with this project, which can never be older than the sources.
    /// </summary>
    public static string ShimBinary
    {
        get
        {
            if (Environment.GetEnvironmentVariable("SEALPOD_SHIM_BINARY") is { Length: > 0 } chosen)
            {
                return chosen;
            }

            string local = Path.Combine(AppContext.BaseDirectory, "containerd-shim-sealpod-v2");
            return File.Exists(local) ? local : throw new FileNotFoundException("containerd-shim-sealpod-v2 is not built");
        }
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Runtime.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Runtime.sln not found above the test directory");
    }
}
