using System.Runtime.Versioning;

// Containers are heavy on a 2-core machine: test classes run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
[assembly: SupportedOSPlatform("linux")]
