namespace Sealpod.Config;

/// <summary>Reads <c>[image]</c>.</summary>
internal static class ImageBinder
{
    public static ImageConfig Bind(SectionReader r, IDictionary<string, TomlValue> unmodelled)
    {
        var d = new ImageConfig();
        var result = d with
        {
            Provision = r.String("provision", d.Provision),
            ServiceOffload = r.Bool("service_offload", d.ServiceOffload),
        };
        r.Finish(FrozenSet<string>.Empty, unmodelled);
        return result;
    }
}
