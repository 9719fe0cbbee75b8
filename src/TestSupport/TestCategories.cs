namespace Sealpod.TestSupport;

/// <summary>
/// The trait that separates unit tests from those needing more than a build machine:
/// <c>[Trait(TestCategories.Name, TestCategories.Vm)]</c>. <c>make test-unit</c> runs everything else
/// (<c>--filter "Category!=Vm&amp;Category!=Root"</c>).
/// </summary>
public static class TestCategories
{
    public const string Name = "Category";

    /// <summary>Boots QEMU (a guest kernel, KVM or TCG).</summary>
    public const string Vm = "Vm";

    /// <summary>Needs root: mounts, network namespaces, a private containerd.</summary>
    public const string Root = "Root";
}
