namespace Sealpod.Vmm.Tests.TestSupport;

/// <summary>Golden JSON fixtures, compared as indented text. SEALPOD_UPDATE_GOLDEN=1 rewrites them in the source tree.</summary>
public static class GoldenJson
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Assert(string fixtureName, JsonElement actual)
    {
        var text = JsonSerializer.Serialize(actual, Indented) + "\n";
        if (Environment.GetEnvironmentVariable("SEALPOD_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(Path.Combine(SourceDirectory(), "Fixtures", fixtureName), text);
            return;
        }

        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", fixtureName);
        Xunit.Assert.True(File.Exists(path), $"missing fixture {path}");
        Xunit.Assert.Equal(File.ReadAllText(path), text);
    }

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string file = "") =>
        Path.GetDirectoryName(Path.GetDirectoryName(file))!;
}
