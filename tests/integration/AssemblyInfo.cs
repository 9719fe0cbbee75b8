using System.Runtime.Versioning;

// Every test boots VMs under TCG on a small machine: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
[assembly: SupportedOSPlatform("linux")]

// Boots the guest in QEMU under a private containerd run as root: not a unit test (make test-unit leaves these out).
[assembly: AssemblyTrait(TestCategories.Name, TestCategories.Vm)]
