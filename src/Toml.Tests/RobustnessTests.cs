namespace Sealpod.Toml.Tests;

/// <summary>
/// Damaged input must fail with <see cref="TomlException"/> and nothing else (no IndexOutOfRange, no overflow):
/// every valid toml-test document is cut at many points and has bytes flipped, with a fixed seed.
/// </summary>
public sealed class RobustnessTests
{
    private static readonly byte[] Interesting = "\"'[]{}=.,#\\\n\r\t :+-_0919eExob"u8.ToArray();

    [Fact]
    public void Truncated_and_mutated_documents_only_ever_throw_TomlException()
    {
        var tests = ConformanceSuite.RequireTestsDirectory();
        var random = new Random(20240611);
        var runs = 0;
        foreach (var testCase in ConformanceSuite.Toml10Cases(tests).Where(c => c.StartsWith("valid/", StringComparison.Ordinal)))
        {
            var original = File.ReadAllBytes(Path.Combine(tests, testCase));
            var step = Math.Max(1, original.Length / 40);
            for (var cut = 0; cut < original.Length; cut += step)
            {
                ParseOrTomlException(original.AsSpan(0, cut).ToArray(), testCase, $"cut at {cut}");
                runs++;
            }

            for (var i = 0; i < 40 && original.Length > 0; i++)
            {
                var mutated = (byte[])original.Clone();
                var at = random.Next(mutated.Length);
                mutated[at] = random.Next(3) == 0 ? (byte)random.Next(256) : Interesting[random.Next(Interesting.Length)];
                ParseOrTomlException(mutated, testCase, $"byte {at} set to 0x{mutated[at]:X2}");
                runs++;
            }
        }

        Assert.True(runs > 10_000, $"only {runs} runs");
    }

    private static void ParseOrTomlException(byte[] bytes, string testCase, string what)
    {
        try
        {
            TomlParser.Parse(bytes, testCase);
        }
        catch (TomlException)
        {
        }
        catch (Exception e)
        {
            Assert.Fail($"{testCase}, {what}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
        }
    }
}
