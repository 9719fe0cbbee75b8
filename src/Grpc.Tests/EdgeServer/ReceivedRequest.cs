namespace Sealpod.Grpc.Tests.EdgeServer;

/// <summary>What the edge server saw of one request.</summary>
public sealed record ReceivedRequest(
    string Protocol,
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Headers,
    byte[] Body);
