using Google.Protobuf.WellKnownTypes;

namespace Sealpod.Grpc.Tests.Protocol;

public sealed class ClientArgumentTests
{
    [Theory]
    [InlineData("https://127.0.0.1:1")]
    [InlineData("vsock://3:1024")]
    public void Only_h2c_and_unix_addresses_are_accepted(string address) =>
        Assert.Throws<ArgumentException>(() => new GrpcUnaryClient(new Uri(address)));

    [Theory]
    [InlineData("")]
    [InlineData("pkg.Service/Method")]
    [InlineData("/pkg.Service")]
    [InlineData("/pkg.Service/")]
    [InlineData("//Method")]
    [InlineData("/a/b/c")]
    public async Task Method_names_must_be_full_paths(string method)
    {
        using var client = new GrpcUnaryClient(new Uri("http://127.0.0.1:1"));

        await Assert.ThrowsAnyAsync<ArgumentException>(() => client.CallAsync(method, new Empty(), Empty.Parser));
    }

    [Fact]
    public async Task Calls_after_dispose_throw()
    {
        var client = new GrpcUnaryClient(new Uri("http://127.0.0.1:1"));
        client.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.CallAsync("/a.B/C", new Empty(), Empty.Parser));
    }
}
