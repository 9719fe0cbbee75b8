namespace Sealpod.TestSupport;

/// <summary>Paths in the source tree, found from the test binary's location (the directory holding Runtime.sln).</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>The shipped configuration files (configs/).</summary>
    public static string Configs => Combine("configs");

    /// <summary>The shipped development configuration (configs/configuration-qemu-coco-dev.toml).</summary>
    public static string ShippedConfig => Path.Combine(Configs, "configuration-qemu-coco-dev.toml");

    /// <summary>Where make puts what it builds.</summary>
    public static string Build => Combine("build");

    /// <summary><c>$GUEST_OUT</c> (make test sets it), else build/guest: the kernel and initrd make guest builds.</summary>
    public static string GuestDirectory =>
        Environment.GetEnvironmentVariable("GUEST_OUT") is { Length: > 0 } directory ? directory : Path.Combine(Build, "guest");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Runtime.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Runtime.sln above {AppContext.BaseDirectory}; the tests must run from the source tree.");
    }
}
