namespace Sealpod.Fuzz;

/// <summary>The repository the fuzz binary was built in (its configs/ and fuzz/corpus/), found upwards from the binary.</summary>
internal static class FuzzRepository
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Runtime.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no Runtime.sln above {AppContext.BaseDirectory}");
    });

    public static string Combine(params string[] parts) => Path.Combine([Root.Value, .. parts]);
}
