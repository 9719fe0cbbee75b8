namespace Sealpod.Config;

/// <summary>
/// One finding about a configuration: where (file:line:column), which key (the full dotted path such as
/// <c>hypervisor.qemu.default_memory</c>, or an annotation name), and what was wrong.
/// </summary>
/// <param name="Severity">Error or warning.</param>
/// <param name="Key">Full key path or annotation name; empty for findings about a whole file.</param>
/// <param name="Message">What was expected and what was found.</param>
/// <param name="Position">Where the value (or, for unknown keys, the key) was written; null for annotations and text without a file.</param>
public sealed record ConfigurationDiagnostic(DiagnosticSeverity Severity, string Key, string Message, TomlPosition? Position)
{
    /// <summary>Renders as <c>file:line:column: key: message</c>, the form compilers use, so editors can jump to it.</summary>
    public override string ToString()
    {
        var where = Position is { } p ? $"{p}: " : string.Empty;
        return Key.Length == 0 ? $"{where}{Message}" : $"{where}{Key}: {Message}";
    }
}
