namespace Sealpod.Tee.Tests.Interop;

/// <summary>Tests that run the Go simple-kbs stand-in share one build of it.</summary>
[CollectionDefinition(Name)]
public sealed class SimpleKbsCollection : ICollectionFixture<SimpleKbsBuild>
{
    public const string Name = "simple-kbs";
}
