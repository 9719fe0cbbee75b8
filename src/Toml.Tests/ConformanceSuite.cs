namespace Sealpod.Toml.Tests;

/// <summary>
/// Finds toml-test's cases in shared/conformance/toml-test beside an ancestor of the test assembly's folder
/// (here /work/main/.. ; on CI &lt;clone&gt;/..).
/// </summary>
internal static class ConformanceSuite
{
    private const string RelativePath = "shared/conformance/toml-test";

    /// <summary>The suite's tests/ folder, or null when no ancestor has it beside it.</summary>
    public static string? FindTestsDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, RelativePath, "tests");
            if (File.Exists(Path.Combine(candidate, "files-toml-1.0.0")))
            {
                return candidate;
            }
        }

        return null;
    }

    public static string RequireTestsDirectory() =>
        FindTestsDirectory() ?? throw new InvalidOperationException(
            $"toml-test suite not found: no ancestor of {AppContext.BaseDirectory} has {RelativePath}/tests/files-toml-1.0.0 beside it");

    /// <summary>The TOML 1.0 cases (paths of .toml files relative to tests/), in the list's order.</summary>
    public static IReadOnlyList<string> Toml10Cases(string testsDirectory) =>
        File.ReadLines(Path.Combine(testsDirectory, "files-toml-1.0.0"))
            .Select(l => l.Trim())
            .Where(l => l.EndsWith(".toml", StringComparison.Ordinal))
            .ToList();
}
