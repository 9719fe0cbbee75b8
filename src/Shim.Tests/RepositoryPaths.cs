namespace Sealpod.Shim.Tests;

internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string ShippedConfig => Path.Combine(Root, "configs", "configuration-qemu-coco-dev.toml");

    /// <summary>The shim's apphost as built next to its project (the tests run the real binary).</summary>
    public static string ShimBinary
    {
        get
        {
            string local = Path.Combine(AppContext.BaseDirectory, "containerd-shim-sealpod-v2");
            if (File.Exists(local))
            {
                return local;
            }

            foreach (var configuration in new[] { "Release", "Debug" })
            {
                string built = Path.Combine(Root, "src", "Shim", "bin", configuration, "net10.0", "containerd-shim-sealpod-v2");
                if (File.Exists(built))
                {
                    return built;
                }
            }

            throw new FileNotFoundException("containerd-shim-sealpod-v2 is not built");
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
