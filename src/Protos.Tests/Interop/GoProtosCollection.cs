namespace Sealpod.Protos.Tests.Interop;

/// <summary>Shares one build of the Go peer among all interop test classes.</summary>
[CollectionDefinition(Name)]
public sealed class GoProtosCollection : ICollectionFixture<GoProtosPeer>
{
    public const string Name = "containerd Go peer";
}
