namespace Sealpod.VmAgent.IntegrationTests;

/// <summary>Where `make guest` and `make dev-config` put what these tests boot.</summary>
internal static class GuestAssets
{
    public static string ConfigPath => Environment.GetEnvironmentVariable("SEALPOD_TEST_CONFIG")
        ?? Repository.Combine("build", "configuration-qemu-coco-dev.toml");

    /// <summary>The default kernel's release: Sealpod's own (build/guest/vmlinux, booted at its PVH entry; vmlinuz compressed).</summary>
    public static string KernelRelease => File.ReadAllText(Repository.Combine("build", "guest", "kernel.release")).Trim();

    /// <summary>The Debian cloud kernel `make guest` also unpacks (build/guest/vmlinuz-cloud), still selectable with `kernel`.</summary>
    public static string CloudKernel => Repository.Combine("build", "guest", "vmlinuz-cloud");

    /// <summary>The initrd `make guest` builds beside the root disk image (the configuration boots the image).</summary>
    public static string Initrd => Repository.Combine("build", "guest", "initrd.img");

    /// <summary>The root disk image the staged configuration boots (build/guest/rootfs.img).</summary>
    public static string RootDiskImage => Repository.Combine("build", "guest", "rootfs.img");

    /// <summary>The cloud kernel's release.</summary>
    public static string CloudKernelRelease => File.ReadAllText(Repository.Combine("build", "guest", "kernel-cloud.release")).Trim();

    /// <summary>Fails (never skips) when the guest was not built: `make test` builds it first.</summary>
    public static void Require()
    {
        foreach (var path in new[] { ConfigPath, Initrd, RootDiskImage, Repository.Combine("build", "guest", "vmlinuz"), Repository.Combine("build", "guest", "vmlinux") })
        {
            if (!File.Exists(path))
            {
                Assert.Fail($"{path} is missing: run 'make guest dev-config' (make test does) before these tests");
            }
        }
    }
}
