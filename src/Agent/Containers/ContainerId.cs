namespace Sealpod.Agent.Containers;

/// <summary>
/// Container and exec ids become directory and file names, so they are checked like Kata checks
/// them: a letter or digit, then letters, digits, '_', '.', '-', at most 128 characters in all.
/// </summary>
internal static partial class ContainerId
{
    public static string Validate(string id, string what = "container id")
    {
        if (string.IsNullOrEmpty(id) || !Pattern().IsMatch(id))
        {
            throw new InvalidArgumentException(
                $"{what} '{id}' is invalid: expected 1-128 characters [A-Za-z0-9_.-] starting with a letter or digit");
        }

        return id;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
