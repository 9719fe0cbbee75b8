namespace Sealpod.Config;

/// <summary>Data, then defaults, then validation: the one path every configuration goes through.</summary>
internal static class ConfigurationPipeline
{
    /// <exception cref="ConfigurationException">Every error of the document, at once.</exception>
    public static SealpodConfiguration Build(TomlTable document, EquatableArray<string> sourceFiles)
    {
        var diagnostics = new DiagnosticBag(sourceFiles);
        var config = ConfigurationBinder.Bind(document, diagnostics, sourceFiles, out var hasHypervisor);
        ConfigurationValidator.Validate(config, diagnostics, hasHypervisor);
        diagnostics.ThrowIfErrors();
        return config with { Warnings = diagnostics.SortedWarnings().ToEquatableArray() };
    }
}
