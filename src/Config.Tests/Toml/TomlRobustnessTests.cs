namespace Sealpod.Config.Tests.Toml;

/// <summary>
/// Damaged input fails with <see cref="TomlException"/> and nothing else (no IndexOutOfRange, no NullReference from a
/// half-built syntax tree): the shipped configurations are cut at many points and have bytes flipped, with a fixed seed.
/// </summary>
public sealed class TomlRobustnessTests
{
    private static readonly byte[] Interesting = "\"'[]{}=.,#\\\n\r\t :+-_0919eExob"u8.ToArray();

    [Fact]
    public void Truncated_and_mutated_documents_only_ever_throw_TomlException()
    {
        var random = new Random(20240611);
        var runs = 0;
        var files = Directory.GetFiles(Repository.Configs, "*.toml").Order(StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var original = File.ReadAllBytes(file);
            var step = Math.Max(1, original.Length / 40);
            for (var cut = 0; cut < original.Length; cut += step)
            {
                ParseOrTomlException(original.AsSpan(0, cut).ToArray(), file, $"cut at {cut}");
                runs++;
            }

            for (var i = 0; i < 60; i++)
            {
                var mutated = (byte[])original.Clone();
                var at = random.Next(mutated.Length);
                mutated[at] = random.Next(3) == 0 ? (byte)random.Next(256) : Interesting[random.Next(Interesting.Length)];
                ParseOrTomlException(mutated, file, $"byte {at} set to 0x{mutated[at]:X2}");
                runs++;
            }
        }

        Assert.True(runs > 500, $"only {runs} runs");
    }

    private static void ParseOrTomlException(byte[] bytes, string file, string what)
    {
        try
        {
            TomlReader.Parse(bytes, file);
        }
        catch (TomlException)
        {
        }
        catch (Exception e)
        {
            Assert.Fail($"{file}, {what}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
        }
    }
}
