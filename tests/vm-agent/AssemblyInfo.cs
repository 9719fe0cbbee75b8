// Each test boots VMs under TCG on a 2-core machine, and some count qemu processes: run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
