// Each test boots VMs under TCG on a 2-core machine, and some count qemu processes: run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

// Boots the guest in QEMU: not a unit test (make test-unit leaves these out).
[assembly: AssemblyTrait(TestCategories.Name, TestCategories.Vm)]
