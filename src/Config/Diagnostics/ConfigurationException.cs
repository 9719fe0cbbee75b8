namespace Sealpod.Config;

/// <summary>
/// The configuration (or an annotation override of it) is unusable. Carries every error found, not just the first,
/// so a user can fix a file in one pass; the message lists them one per line.
/// </summary>
public class ConfigurationException : Exception
{
    public ConfigurationException(IReadOnlyList<ConfigurationDiagnostic> errors, IReadOnlyList<ConfigurationDiagnostic>? warnings = null)
        : base(Format(errors))
    {
        Errors = errors;
        Warnings = warnings ?? [];
    }

    public ConfigurationException(string message)
        : base(message)
    {
        Errors = [new ConfigurationDiagnostic(DiagnosticSeverity.Error, string.Empty, message, null)];
        Warnings = [];
    }

    public ConfigurationException()
        : this("invalid configuration")
    {
    }

    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [new ConfigurationDiagnostic(DiagnosticSeverity.Error, string.Empty, message, null)];
        Warnings = [];
    }

    /// <summary>Every error, in file order.</summary>
    public IReadOnlyList<ConfigurationDiagnostic> Errors { get; }

    /// <summary>Warnings found on the way (unknown keys and the like), so callers can still log them.</summary>
    public IReadOnlyList<ConfigurationDiagnostic> Warnings { get; }

    private static string Format(IReadOnlyList<ConfigurationDiagnostic> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 1)
        {
            return errors[0].ToString();
        }

        var text = new System.Text.StringBuilder();
        text.Append("invalid configuration (").Append(errors.Count).Append(" errors):");
        foreach (var error in errors)
        {
            text.Append('\n').Append("  ").Append(error);
        }

        return text.ToString();
    }
}
