namespace Sealpod.Config;

/// <summary>Reads <c>[factory]</c>.</summary>
internal static class FactoryBinder
{
    public static FactoryConfig Bind(SectionReader r, IDictionary<string, TomlValue> unmodelled)
    {
        var d = new FactoryConfig();
        var result = d with
        {
            EnableTemplate = r.Bool("enable_template", d.EnableTemplate),
            TemplatePath = NonEmptyOr(r.AbsolutePath("template_path", d.TemplatePath), d.TemplatePath),
            VmCacheNumber = r.Int32("vm_cache_number", d.VmCacheNumber, 0, int.MaxValue, "an integer >= 0"),
            VmCacheEndpoint = NonEmptyOr(r.AbsolutePath("vm_cache_endpoint", d.VmCacheEndpoint), d.VmCacheEndpoint),
        };
        r.Finish(FrozenSet<string>.Empty, unmodelled);
        return result;
    }

    // Kata: an empty template path or cache endpoint falls back to the default.
    private static string NonEmptyOr(string value, string defaultValue) => value.Length == 0 ? defaultValue : value;
}
