namespace Sealpod.Tee.Tests.Interop;

/// <summary>
/// Shares one grpc-go server (TestSupport's GoGrpcServer) among the key broker call tests. xunit only finds
/// collection definitions in the test assembly itself, hence this one here.
/// </summary>
[CollectionDefinition(Name)]
public sealed class GoGrpcCollection : ICollectionFixture<GoGrpcServer>
{
    public const string Name = "grpc-go server";
}
