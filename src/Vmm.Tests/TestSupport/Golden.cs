namespace Sealpod.Vmm.Tests.TestSupport;

/// <summary>
/// Golden argv fixtures: one argument per line. A mismatch names the first differing line.
/// Set SEALPOD_UPDATE_GOLDEN=1 to rewrite the fixtures in the source tree, then review the diff.
/// </summary>
public static class Golden
{
    public static void AssertArgs(string fixtureName, IReadOnlyList<string> actual)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", fixtureName);
        if (Environment.GetEnvironmentVariable("SEALPOD_UPDATE_GOLDEN") == "1")
        {
            var source = Path.Combine(SourceDirectory(), "Fixtures", fixtureName);
            File.WriteAllText(source, string.Join('\n', actual) + "\n");
            return;
        }

        Assert.True(File.Exists(path), $"missing fixture {path}");
        var expected = File.ReadAllText(path).TrimEnd('\n').Split('\n');
        for (var i = 0; i < Math.Min(expected.Length, actual.Count); i++)
        {
            Assert.True(expected[i] == actual[i], $"{fixtureName} line {i + 1}: expected '{expected[i]}', got '{actual[i]}'");
        }

        Assert.True(expected.Length == actual.Count, $"{fixtureName}: expected {expected.Length} arguments, got {actual.Count}");
    }

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string file = "") =>
        Path.GetDirectoryName(Path.GetDirectoryName(file))!;
}
