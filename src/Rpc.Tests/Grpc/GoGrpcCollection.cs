namespace Sealpod.Rpc.Tests.Grpc;

/// <summary>Shares one grpc-go server among the interop test classes.</summary>
[CollectionDefinition(Name)]
public sealed class GoGrpcCollection : ICollectionFixture<GoGrpcServer>
{
    public const string Name = "grpc-go server";
}
