namespace Sealpod.Vmm.Tests.Tee;

/// <summary>
/// The pre-attestation runs on real QEMU share one build of the Go simple-kbs stand-in (TestSupport's
/// SimpleKbsBuild). xunit only finds collection definitions in the test assembly itself, hence this one here.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SimpleKbsCollection : ICollectionFixture<SimpleKbsBuild>
{
    public const string Name = "simple-kbs";
}
