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

    /// <summary>
    /// A new directory under <c>$SEALPOD_TEST_TMP</c> (scripts/run-tests.sh gives each test project a scratch
    /// directory and sweeps it afterwards, in case a killed test host could not clean up), else the temporary folder.
    /// </summary>
    public static string CreateScratchDirectory(string prefix)
    {
        if (Environment.GetEnvironmentVariable("SEALPOD_TEST_TMP") is not { Length: > 0 } scratch)
        {
            return Directory.CreateTempSubdirectory(prefix).FullName;
        }

        string path = Path.Combine(scratch, prefix + Path.GetRandomFileName().Replace(".", string.Empty, StringComparison.Ordinal)[..8]);
        Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
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
