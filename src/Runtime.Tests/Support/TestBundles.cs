namespace Sealpod.Runtime.Tests.Support;

/// <summary>Bundles written for one test, loaded the way the shim loads a bundle.</summary>
internal static class TestBundles
{
    /// <summary>A bundle in a fresh directory under <paramref name="directory"/> whose config.json is <paramref name="spec"/>.</summary>
    public static OciBundle LoadBundle(this TempDirectory directory, string spec)
    {
        var bundle = directory.Combine(Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(bundle);
        File.WriteAllText(Path.Combine(bundle, "config.json"), spec);
        return OciBundle.Load(bundle);
    }
}
