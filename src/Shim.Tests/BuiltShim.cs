namespace Sealpod.Shim.Tests;

/// <summary>The shim's apphost as built next to its project (the tests run the real binary).</summary>
internal static class BuiltShim
{
    public static string Path
    {
        get
        {
            string local = System.IO.Path.Combine(AppContext.BaseDirectory, "containerd-shim-sealpod-v2");
            if (File.Exists(local))
            {
                return local;
            }

            foreach (var configuration in new[] { "Release", "Debug" })
            {
                string built = Repository.Combine("src", "Shim", "bin", configuration, "net10.0", "containerd-shim-sealpod-v2");
                if (File.Exists(built))
                {
                    return built;
                }
            }

            throw new FileNotFoundException("containerd-shim-sealpod-v2 is not built");
        }
    }
}
