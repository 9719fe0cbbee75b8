namespace Sealpod.Bench.Ttrpc;

/// <summary>What one run measures; the same numbers go to the Go peer so both sides do identical work.</summary>
internal sealed record BenchSettings
{
    public int PayloadBytes { get; init; } = 128;

    public int SequentialCalls { get; init; } = 20_000;

    public int Concurrency { get; init; } = 32;

    /// <summary>Calls in the concurrent phase, spread over <see cref="Concurrency"/> callers (Go: calls x 5).</summary>
    public int ConcurrentCalls => SequentialCalls * 5;

    public int Rounds { get; init; } = 3;

    public string GoSource { get; init; } = Path.Combine("tests", "interop", "ttrpc-go");

    public bool SkipGo { get; init; }

    /// <summary>Runs callers' continuations on the client's receive loop (<see cref="Sealpod.Rpc.Ttrpc.TtrpcClientOptions.RunContinuationsAsynchronously"/> off).</summary>
    public bool InlineContinuations { get; init; }

    public static BenchSettings Parse(string[] args)
    {
        var settings = new BenchSettings();
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int NextInt() => int.Parse(Next(), CultureInfo.InvariantCulture);
            settings = args[i] switch
            {
                "--payload" => settings with { PayloadBytes = NextInt() },
                "--calls" => settings with { SequentialCalls = NextInt() },
                "--concurrency" => settings with { Concurrency = NextInt() },
                "--rounds" => settings with { Rounds = NextInt() },
                "--go-source" => settings with { GoSource = Next() },
                "--no-go" => settings with { SkipGo = true },
                "--inline-continuations" => settings with { InlineContinuations = true },
                _ => throw new ArgumentException(
                    $"unknown argument {args[i]}; use --payload N --calls N --concurrency N --rounds N --go-source DIR --no-go --inline-continuations"),
            };
        }

        return settings;
    }
}
