namespace Sealpod.Config;

/// <summary>Collects every error and warning of one load so all of them can be reported together.</summary>
internal sealed class DiagnosticBag
{
    private readonly List<ConfigurationDiagnostic> _errors = [];
    private readonly List<ConfigurationDiagnostic> _warnings = [];
    private readonly IReadOnlyList<string> _fileOrder;

    /// <param name="fileOrder">The files in load order (main file, then drop-ins), so findings are listed in that order.</param>
    public DiagnosticBag(IReadOnlyList<string>? fileOrder = null)
    {
        _fileOrder = fileOrder ?? [];
    }

    public IReadOnlyList<ConfigurationDiagnostic> Errors => _errors;

    public IReadOnlyList<ConfigurationDiagnostic> Warnings => _warnings;

    public bool HasErrors => _errors.Count > 0;

    /// <summary>Whether <paramref name="key"/> (or one of its array elements) already has an error.</summary>
    public bool HasErrorFor(string key) =>
        _errors.Exists(e => e.Key == key || (e.Key.StartsWith(key, StringComparison.Ordinal) && e.Key.Length > key.Length && e.Key[key.Length] == '['));

    public void Error(string key, string message, TomlPosition? position) =>
        _errors.Add(new ConfigurationDiagnostic(DiagnosticSeverity.Error, key, message, position));

    public void Warning(string key, string message, TomlPosition? position) =>
        _warnings.Add(new ConfigurationDiagnostic(DiagnosticSeverity.Warning, key, message, position));

    /// <summary>Throws one exception listing every error, in file order, if there are any.</summary>
    public void ThrowIfErrors()
    {
        if (_errors.Count > 0)
        {
            throw new ConfigurationException(Sorted(_errors), Sorted(_warnings));
        }
    }

    public IReadOnlyList<ConfigurationDiagnostic> SortedWarnings() => Sorted(_warnings);


    // Findings come from several passes (binding, cross-field rules); users read them best in file order.
    private ConfigurationDiagnostic[] Sorted(List<ConfigurationDiagnostic> items) =>
        [.. items
            .Select((d, i) => (d, i))
            .OrderBy(x => x.d.Position is null ? 1 : 0)
            .ThenBy(x => FileRank(x.d.Position?.File))
            .ThenBy(x => x.d.Position?.File ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(x => x.d.Position?.Line ?? 0)
            .ThenBy(x => x.d.Position?.Column ?? 0)
            .ThenBy(x => x.i)
            .Select(x => x.d)];

    private int FileRank(string? file)
    {
        for (var i = 0; i < _fileOrder.Count; i++)
        {
            if (string.Equals(_fileOrder[i], file, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return _fileOrder.Count;
    }
}
