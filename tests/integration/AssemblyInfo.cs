using System.Runtime.Versioning;

// Every test boots VMs under TCG on a small machine: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
[assembly: SupportedOSPlatform("linux")]
