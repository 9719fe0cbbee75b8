namespace Sealpod.Config;

/// <summary>How bad a configuration finding is.</summary>
public enum DiagnosticSeverity
{
    /// <summary>The configuration loads, but something was ignored or adjusted (unknown key, clamped value).</summary>
    Warning,

    /// <summary>The configuration cannot be used.</summary>
    Error,
}
