namespace Sealpod.VmAgent.IntegrationTests;

/// <summary>Where `make guest` and `make dev-config` put what these tests boot.</summary>
internal static class GuestAssets
{
    public static string ConfigPath => Environment.GetEnvironmentVariable("SEALPOD_TEST_CONFIG")
        ?? Repository.Combine("build", "configuration-qemu-coco-dev.toml");

    public static string KernelRelease => File.ReadAllText(Repository.Combine("build", "guest", "kernel.release")).Trim();

    /// <summary>Fails (never skips) when the guest was not built: `make test` builds it first.</summary>
    public static void Require()
    {
        foreach (var path in new[] { ConfigPath, Repository.Combine("build", "guest", "initrd.img"), Repository.Combine("build", "guest", "vmlinuz") })
        {
            if (!File.Exists(path))
            {
                Assert.Fail($"{path} is missing: run 'make guest dev-config' (make test does) before these tests");
            }
        }
    }
}
