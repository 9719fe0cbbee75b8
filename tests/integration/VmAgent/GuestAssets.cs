namespace Sealpod.VmAgent.IntegrationTests;

/// <summary>Where `make guest` and `make dev-config` put what these tests boot.</summary>
internal static class GuestAssets
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string ConfigPath => Environment.GetEnvironmentVariable("SEALPOD_TEST_CONFIG")
        ?? Path.Combine(RepositoryRoot, "build", "configuration-qemu-coco-dev.toml");

    public static string KernelRelease => File.ReadAllText(Path.Combine(RepositoryRoot, "build", "guest", "kernel.release")).Trim();

    /// <summary>Fails (never skips) when the guest was not built: `make test` builds it first.</summary>
    public static void Require()
    {
        foreach (var path in new[] { ConfigPath, Path.Combine(RepositoryRoot, "build", "guest", "initrd.img"), Path.Combine(RepositoryRoot, "build", "guest", "vmlinuz") })
        {
            if (!File.Exists(path))
            {
                Assert.Fail($"{path} is missing: run 'make guest dev-config' (make test does) before these tests");
            }
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Runtime.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Runtime.sln not found above " + AppContext.BaseDirectory);
    }
}
