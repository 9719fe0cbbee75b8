namespace Sealpod.IntegrationTests;

/// <summary>The shim binary the tests hand to containerd.</summary>
internal static class ShimUnderTest
{
    /// <summary>
    /// <c>$SEALPOD_SHIM_BINARY</c> (the Makefile points it at the NativeAOT product it just published), else the
    /// framework-dependent shim built with this project, which can never be older than the sources.
    /// </summary>
    public static string Binary
    {
        get
        {
            if (Environment.GetEnvironmentVariable("SEALPOD_SHIM_BINARY") is { Length: > 0 } chosen)
            {
                return chosen;
            }

            string local = Path.Combine(AppContext.BaseDirectory, "containerd-shim-sealpod-v2");
            return File.Exists(local) ? local : throw new FileNotFoundException("containerd-shim-sealpod-v2 is not built");
        }
    }
}
