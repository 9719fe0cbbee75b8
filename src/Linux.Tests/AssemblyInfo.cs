using System.Runtime.Versioning;

// Some tests check that a descriptor number was closed: no other test may open one meanwhile.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
[assembly: SupportedOSPlatform("linux")]
