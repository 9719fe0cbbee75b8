using System.Security.Cryptography;
using System.Text;
using Sealpod.Protos.KeyBroker;
using Sealpod.Rpc;

namespace Sealpod.Grpc.Tests.Interop;

/// <summary>
/// The simple-kbs call shapes: our generated keybroker messages, read and answered by a Go
/// server that decodes them by field number.
/// </summary>
[Collection(GoGrpcCollection.Name)]
public sealed class KeyBrokerCallTests(GoGrpcServer server) : IDisposable
{
    private const string LaunchId = "7d3c6a5e-1b2f-4c8d-9e0a-5f6b7c8d9e0f";

    private readonly GrpcUnaryClient _client = new(server.TcpAddress);

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task GetBundle_returns_the_launch_bundle()
    {
        const string chain = "-----BEGIN PDH-----\nAAEC\n-----END PDH-----\n";
        var request = new BundleRequest { CertificateChain = chain, Policy = 0x33 };

        BundleResponse bundle = await _client.CallAsync(
            "/keybroker.KeyBrokerService/GetBundle", request, BundleResponse.Parser, timeout: TimeSpan.FromSeconds(30));

        Assert.Equal("godh-for-policy-0x33", bundle.GuestOwnerPublicKey);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(chain))).ToLowerInvariant(), bundle.LaunchBlob);
        Assert.Equal(LaunchId, bundle.LaunchId);
    }

    [Fact]
    public async Task GetBundle_without_a_chain_is_InvalidArgument()
    {
        RpcException error = await Assert.ThrowsAsync<RpcException>(() => _client.CallAsync(
            "/keybroker.KeyBrokerService/GetBundle", new BundleRequest { Policy = 1 }, BundleResponse.Parser));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("CertificateChain is empty", error.Message);
    }

    [Fact]
    public async Task GetSecret_carries_the_requested_secrets()
    {
        var request = new SecretRequest
        {
            LaunchMeasurement = "bWVhc3VyZW1lbnQ=",
            LaunchId = LaunchId,
            Policy = 7,
            ApiMajor = 1,
            ApiMinor = 55,
            BuildId = 21,
            FwDigest = "ZGlnZXN0",
            LaunchDescription = "test launch",
            SecretRequests =
            {
                new RequestDetails { Guid = "e6f5a162-d67f-4750-a67c-5d065f2a9910", Format = "json", SecretType = "bundle", Id = "default/key/1" },
                new RequestDetails { Guid = "1ee27366-0c87-43a6-af48-28543eaf7cb0", Format = "binary", SecretType = "connection", Id = "conn" },
            },
        };

        SecretResponse secret = await _client.CallAsync("/keybroker.KeyBrokerService/GetSecret", request, SecretResponse.Parser);

        Assert.Equal("header-policy-0x7", secret.LaunchSecretHeader);
        Assert.Equal(
            "e6f5a162-d67f-4750-a67c-5d065f2a9910/default/key/1,1ee27366-0c87-43a6-af48-28543eaf7cb0/conn",
            secret.LaunchSecretData);
    }

    [Fact]
    public async Task GetSecret_for_an_unknown_launch_is_NotFound()
    {
        RpcException error = await Assert.ThrowsAsync<RpcException>(() => _client.CallAsync(
            "/keybroker.KeyBrokerService/GetSecret", new SecretRequest { LaunchId = "nope" }, SecretResponse.Parser));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains("nope", error.Message, StringComparison.Ordinal);
    }
}
