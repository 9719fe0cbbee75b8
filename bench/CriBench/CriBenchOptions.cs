namespace Sealpod.Bench.Cri;

public enum CriBenchMode
{
    Demo,
    Bench,
    Soak,
    Pull,
}

/// <summary>The command line: the mode, the demo's (and soak's) handler, the rounds, the soak's pods per round, the pull benchmark's image.</summary>
public sealed record CriBenchOptions(CriBenchMode Mode, string Handler, int Rounds, IReadOnlyList<string> Handlers)
{
    /// <summary>Pods at once in each soak round.</summary>
    public int Pods { get; init; } = 2;

    /// <summary>The pull benchmark's image: layers of random bytes besides the busybox one.</summary>
    public int DataLayers { get; init; } = 2;

    /// <summary>The size of each of those layers, MiB.</summary>
    public int LayerMiB { get; init; } = 16;

    /// <exception cref="ArgumentException">An unknown mode or option, a handler other than runc/sealpod, rounds not in 1..100.</exception>
    public static CriBenchOptions Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0)
        {
            throw new ArgumentException("a mode is required: demo, bench, soak or pull");
        }

        var mode = args[0] switch
        {
            "demo" => CriBenchMode.Demo,
            "bench" => CriBenchMode.Bench,
            "soak" => CriBenchMode.Soak,
            "pull" => CriBenchMode.Pull,
            var other => throw new ArgumentException($"unknown mode '{other}': expected demo, bench, soak or pull"),
        };
        var options = new CriBenchOptions(mode, CriHandlers.Sealpod, 5, [CriHandlers.Runc, CriHandlers.Sealpod]);
        for (int i = 1; i < args.Count; i++)
        {
            string value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--handler" when value is CriHandlers.Runc or CriHandlers.Sealpod => options with { Handler = value },
                "--handler" => throw new ArgumentException($"--handler: expected runc or sealpod, found '{value}'"),
                "--rounds" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int rounds) && rounds is >= 1 and <= 100 => options with { Rounds = rounds },
                "--pods" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int pods) && pods is >= 1 and <= 64 => options with { Pods = pods },
                "--layers" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int layers) && layers is >= 1 and <= 8 => options with { DataLayers = layers },
                "--layers" => throw new ArgumentException($"--layers: expected an integer from 1 to 8, found '{value}'"),
                "--layer-mib" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int mib) && mib is >= 1 and <= 256 => options with { LayerMiB = mib },
                "--layer-mib" => throw new ArgumentException($"--layer-mib: expected an integer from 1 to 256, found '{value}'"),
                "--pods" => throw new ArgumentException($"--pods: expected an integer from 1 to 64, found '{value}'"),
                "--rounds" => throw new ArgumentException($"--rounds: expected an integer from 1 to 100, found '{value}'"),
                "--handlers" when value.Split(',') is { Length: > 0 } list && list.All(h => h is CriHandlers.Runc or CriHandlers.Sealpod) => options with { Handlers = list.Distinct().ToList() },
                "--handlers" => throw new ArgumentException($"--handlers: expected a comma-separated list of runc and sealpod, found '{value}'"),
                var other => throw new ArgumentException($"unknown option '{other}'"),
            };
            i++;
        }

        return options;
    }
}
