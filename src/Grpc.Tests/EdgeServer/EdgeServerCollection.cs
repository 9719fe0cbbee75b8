namespace Sealpod.Grpc.Tests.EdgeServer;

[CollectionDefinition(Name)]
public sealed class EdgeServerCollection : ICollectionFixture<EdgeCaseServer>
{
    public const string Name = "edge-case HTTP/2 server";
}
