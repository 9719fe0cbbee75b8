namespace Sealpod.HostCheck.Configuration;

/// <summary>
/// What loading the runtime configuration gave: the facts, or the errors (each naming file and key), or nothing when
/// no file was given and none was found on the search path.
/// </summary>
public sealed record ConfigLoadOutcome(string? Path, RuntimeConfigFacts? Facts, IReadOnlyList<string> Errors, IReadOnlyList<string> Searched)
{
    public static ConfigLoadOutcome NotFound(IReadOnlyList<string> searched) => new(null, null, [], searched);

    public static ConfigLoadOutcome Failed(string path, IReadOnlyList<string> errors) => new(path, null, errors, []);

    public static ConfigLoadOutcome Loaded(RuntimeConfigFacts facts) => new(facts.Path, facts, [], []);
}
