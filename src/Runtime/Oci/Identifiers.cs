using System.Text.RegularExpressions;

namespace Sealpod.Runtime.Oci;

/// <summary>
/// containerd's identifier rules: ids become path components (bundle, sandbox directory, guest paths), so
/// anything that could climb out of a directory or hide in a socket path is refused before it is used.
/// </summary>
public static partial class Identifiers
{
    /// <summary>containerd's limit (identifiers.maxLength).</summary>
    public const int MaxLength = 76;

    /// <summary>Throws <see cref="InvalidArgumentException"/> naming <paramref name="what"/> unless <paramref name="id"/> is valid.</summary>
    public static string ValidateContainerId(string? id, string what = "container id")
    {
        if (string.IsNullOrEmpty(id))
        {
            throw new InvalidArgumentException($"{what} must not be empty");
        }

        if (id.Length > MaxLength)
        {
            throw new InvalidArgumentException($"{what} '{id}' is longer than {MaxLength} characters");
        }

        if (!Pattern().IsMatch(id))
        {
            throw new InvalidArgumentException(
                $"{what} '{id}' is invalid: expected letters and digits separated by single '.', '_' or '-'");
        }

        return id;
    }

    [GeneratedRegex("^[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*$")]
    private static partial Regex Pattern();
}
