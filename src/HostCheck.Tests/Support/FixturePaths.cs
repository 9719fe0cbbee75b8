namespace Sealpod.HostCheck.Tests.Support;

/// <summary>Locates the fixture trees in the source folder (they are read in place, so file modes and symlinks survive).</summary>
internal static class FixturePaths
{
    public static string Directory { get; } = Find();

    public static string Host(string name) => Path.Combine(Directory, "hosts", name);

    public static string Config(string fileName) => Path.Combine(Directory, "configs", fileName);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "Fixtures");
            if (System.IO.Directory.Exists(Path.Combine(candidate, "hosts")))
            {
                return candidate;
            }

            candidate = Path.Combine(dir.FullName, "src", "HostCheck.Tests", "Fixtures");
            if (System.IO.Directory.Exists(Path.Combine(candidate, "hosts")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"no Fixtures/hosts above {AppContext.BaseDirectory}");
    }
}
