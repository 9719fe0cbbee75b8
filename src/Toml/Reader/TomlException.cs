namespace Sealpod.Config.Toml;

/// <summary>
/// Invalid TOML: every error Tomlyn found in the document, each with file:line:column. The message is the first error
/// (so a one-line report still leads straight to the spot) and how many more there are.
/// </summary>
public sealed class TomlException : Exception
{
    public TomlException(TomlPosition position, string reason)
        : this([new TomlError(position, reason)])
    {
    }

    public TomlException(IReadOnlyList<TomlError> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    /// <summary>Every error, in document order; never empty.</summary>
    public IReadOnlyList<TomlError> Errors { get; }

    /// <summary>Where the first error is.</summary>
    public TomlPosition Position => Errors[0].Position;

    /// <summary>What the first error is, without the position.</summary>
    public string Reason => Errors[0].Reason;

    private static string Describe(IReadOnlyList<TomlError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0)
        {
            throw new ArgumentException("at least one error is needed", nameof(errors));
        }

        return errors.Count switch
        {
            1 => errors[0].ToString(),
            2 => $"{errors[0]} (and 1 more error)",
            _ => $"{errors[0]} (and {errors.Count - 1} more errors)",
        };
    }
}
