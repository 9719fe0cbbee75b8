namespace Sealpod.Fuzz.Tests;

/// <summary>
/// Every committed input (the seeds, and each crash the fuzzer found, kept as a regression) through its target as
/// `make fuzz` runs it, minus AFL: only the parser's documented refusals are allowed.
/// </summary>
public sealed class CorpusReplayTests
{
    public static TheoryData<string> Targets => [.. FuzzTargets.All.Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(Targets))]
    public void Every_corpus_input_is_parsed_or_refused_as_documented(string name)
    {
        var target = FuzzTargets.Find(name)!;
        var inputs = Directory.GetFiles(Repository.Combine("fuzz", "corpus", name)).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(inputs);
        var failures = new List<string>();
        foreach (var input in inputs)
        {
            try
            {
                target.RunOne(File.ReadAllBytes(input));
            }
            catch (Exception e)
            {
                failures.Add($"{Path.GetFileName(input)}: {e}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    [Fact]
    public void A_corpus_folder_exists_for_every_target_and_a_target_for_every_folder()
    {
        var folders = Directory.GetDirectories(Repository.Combine("fuzz", "corpus")).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(FuzzTargets.All.Select(t => t.Name).Order(StringComparer.Ordinal), folders);
    }

    [Fact]
    public void An_undocumented_exception_is_a_crash_and_a_documented_one_is_not()
    {
        var kernel = FuzzTargets.Find("kernel-params")!;
        Assert.False(kernel.IsDocumented(new InvalidDataException()));
        var ttrpc = FuzzTargets.Find("ttrpc-server")!;
        Assert.True(ttrpc.IsDocumented(new InvalidDataException()));
        Assert.False(ttrpc.IsDocumented(new IndexOutOfRangeException()));
    }
}
