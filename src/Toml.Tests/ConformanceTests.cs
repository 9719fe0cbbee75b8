using System.Text.Json;
using Sealpod.Toml.Decoder;

namespace Sealpod.Toml.Tests;

/// <summary>Every TOML 1.0 case of toml-test, one theory row each: valid files decode to the expected tagged JSON, invalid ones are rejected.</summary>
public sealed class ConformanceTests
{
    private const string MissingSuite = "<toml-test suite missing>";

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        var tests = ConformanceSuite.FindTestsDirectory();
        if (tests is null)
        {
            // One row that fails with the reason, instead of a theory that silently has nothing to run.
            data.Add(MissingSuite);
            return data;
        }

        foreach (var path in ConformanceSuite.Toml10Cases(tests))
        {
            data.Add(path);
        }

        return data;
    }

    [Fact]
    public void Suite_is_present_and_complete()
    {
        var tests = ConformanceSuite.RequireTestsDirectory();
        var cases = ConformanceSuite.Toml10Cases(tests);
        Assert.True(cases.Count(c => c.StartsWith("valid/", StringComparison.Ordinal)) >= 200, "too few valid cases");
        Assert.True(cases.Count(c => c.StartsWith("invalid/", StringComparison.Ordinal)) >= 400, "too few invalid cases");
        Assert.All(cases, c => Assert.True(File.Exists(Path.Combine(tests, c)), $"listed case {c} is missing"));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Toml_1_0_case(string testCase)
    {
        // Throws with where it looked when the suite is missing (the MissingSuite row).
        var tests = ConformanceSuite.RequireTestsDirectory();
        var tomlPath = Path.Combine(tests, testCase);
        var bytes = File.ReadAllBytes(tomlPath);

        if (testCase.StartsWith("invalid/", StringComparison.Ordinal))
        {
            var error = Assert.Throws<TomlException>(() => TomlParser.Parse(bytes, testCase));
            Assert.Equal(testCase, error.Position.File);
            Assert.True(error.Position.Line >= 1 && error.Position.Column >= 1, $"bad position {error.Position}");
            return;
        }

        Assert.StartsWith("valid/", testCase, StringComparison.Ordinal);
        TomlTable document;
        try
        {
            document = TomlParser.Parse(bytes, testCase);
        }
        catch (TomlException e)
        {
            Assert.Fail($"valid document rejected: {e.Message}");
            return;
        }

        using var expected = JsonDocument.Parse(File.ReadAllBytes(Path.ChangeExtension(tomlPath, ".json")));
        using var actual = JsonDocument.Parse(TaggedJsonEncoder.ToUtf8(document));
        var difference = TaggedJsonComparer.Difference(expected.RootElement, actual.RootElement);
        Assert.True(difference is null, difference);
    }
}
