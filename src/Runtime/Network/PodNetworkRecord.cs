namespace Sealpod.Runtime.Network;

/// <summary>
/// What the shim changed in a pod's network namespace, written to the sandbox directory as soon as it exists, so that
/// containerd's <c>delete</c> after a killed shim removes the same taps, qdiscs and filters. One line per fact:
/// <c>netns PATH</c>, then <c>pair INTERFACE TAP</c> per joined interface (names never hold whitespace).
/// </summary>
public sealed record PodNetworkRecord(string NamespacePath, IReadOnlyList<TapPair> Pairs)
{
    public const string FileName = "network";

    public static string PathIn(string sandboxDirectory) => Path.Combine(sandboxDirectory, FileName);

    /// <summary>Writes the record aside and renames it into place, so a reader sees all of it or none.</summary>
    public void Write(string sandboxDirectory)
    {
        if (NamespacePath.Contains('\n', StringComparison.Ordinal) || !Path.IsPathFullyQualified(NamespacePath))
        {
            throw new InvalidArgumentException($"network namespace path '{NamespacePath}': expected an absolute path on one line");
        }

        var lines = new List<string> { "netns " + NamespacePath };
        lines.AddRange(Pairs.Select(pair => $"pair {pair.Interface} {pair.Tap}"));
        var path = PathIn(sandboxDirectory);
        File.WriteAllLines(path + ".tmp", lines);
        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary>The record in <paramref name="sandboxDirectory"/>, or null when none was written (no pod network).</summary>
    /// <exception cref="InvalidDataException">The file is not a record this code wrote.</exception>
    public static PodNetworkRecord? Read(string sandboxDirectory)
    {
        var path = PathIn(sandboxDirectory);
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        string? netns = null;
        var pairs = new List<TapPair>();
        foreach (var (line, number) in lines.Select((line, index) => (line, index + 1)))
        {
            var words = line.Split(' ', 3);
            switch (words)
            {
                case ["netns", var value] when netns is null && Path.IsPathFullyQualified(value):
                    netns = value;
                    break;
                case ["netns", _, _] when netns is null && Path.IsPathFullyQualified(line[6..]):
                    netns = line[6..];
                    break;
                case ["pair", var name, var tap] when name.Length > 0 && tap.Length > 0 && !tap.Contains(' ', StringComparison.Ordinal):
                    pairs.Add(new TapPair(name, tap));
                    break;
                default:
                    throw new InvalidDataException($"{path}:{number}: expected 'netns PATH' (first) or 'pair INTERFACE TAP', found '{line}'");
            }
        }

        return netns is null ? throw new InvalidDataException($"{path}: no 'netns PATH' line") : new PodNetworkRecord(netns, pairs);
    }
}
