using System.Text;
using Sealpod.Protos.KeyBroker;
using Sealpod.Rpc;

namespace Sealpod.Tee.Tests.Interop;

/// <summary>
/// <see cref="SimpleKbsClient"/>'s calls (generated client, Grpc.Net.Client) read and answered by the grpc-go server
/// of tests/interop/grpc-go, which decodes the keybroker messages by field number.
/// </summary>
[Collection(GoGrpcCollection.Name)]
public sealed class KeyBrokerCallTests(GoGrpcServer server) : IDisposable
{
    private const string LaunchId = "7d3c6a5e-1b2f-4c8d-9e0a-5f6b7c8d9e0f";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly SimpleKbsClient _client = new(server.TcpAddress.Authority);

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task GetBundle_returns_the_launch_bundle()
    {
        const string chain = "-----BEGIN PDH-----\nAAEC\n-----END PDH-----\n";
        var request = new BundleRequest { CertificateChain = chain, Policy = 0x33 };

        BundleResponse bundle = await _client.GetBundleAsync(request, Timeout);

        Assert.Equal("godh-for-policy-0x33", bundle.GuestOwnerPublicKey);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(chain))).ToLowerInvariant(), bundle.LaunchBlob);
        Assert.Equal(LaunchId, bundle.LaunchId);
    }

    [Fact]
    public async Task A_unix_socket_address_reaches_the_broker()
    {
        using var client = new SimpleKbsClient("unix://" + server.UnixSocketPath);

        BundleResponse bundle = await client.GetBundleAsync(new BundleRequest { CertificateChain = "c", Policy = 1 }, Timeout);

        Assert.Equal("godh-for-policy-0x1", bundle.GuestOwnerPublicKey);
    }

    [Fact]
    public async Task GetBundle_without_a_chain_is_InvalidArgument()
    {
        RpcException error = await Assert.ThrowsAsync<RpcException>(() => _client.GetBundleAsync(new BundleRequest { Policy = 1 }, Timeout));

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

        SecretResponse secret = await _client.GetSecretAsync(request, Timeout);

        Assert.Equal("header-policy-0x7", secret.LaunchSecretHeader);
        Assert.Equal(
            "e6f5a162-d67f-4750-a67c-5d065f2a9910/default/key/1,1ee27366-0c87-43a6-af48-28543eaf7cb0/conn",
            secret.LaunchSecretData);
    }

    [Fact]
    public async Task GetSecret_for_an_unknown_launch_is_NotFound()
    {
        RpcException error = await Assert.ThrowsAsync<RpcException>(() => _client.GetSecretAsync(new SecretRequest { LaunchId = "nope" }, Timeout));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains("nope", error.Message, StringComparison.Ordinal);
    }
}
