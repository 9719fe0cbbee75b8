using Sealpod.Grpc;
using Sealpod.Protos.KeyBroker;

namespace Sealpod.Tee.PreAttestation;

/// <summary>A gRPC (HTTP/2 cleartext) client of simple-kbs at host:port, the form <c>guest_pre_attestation_kbs_uri</c> takes.</summary>
public sealed class SimpleKbsClient : ISimpleKbs
{
    /// <summary>The gRPC method of <see cref="GetBundleAsync"/>.</summary>
    public const string GetBundleMethod = "/keybroker.KeyBrokerService/GetBundle";

    /// <summary>The gRPC method of <see cref="GetSecretAsync"/>.</summary>
    public const string GetSecretMethod = "/keybroker.KeyBrokerService/GetSecret";

    private readonly GrpcUnaryClient _client;

    /// <summary>Connects (lazily) to <paramref name="address"/>: <c>host:port</c>, or a full <c>http://host:port</c>.</summary>
    public SimpleKbsClient(string address, GrpcClientOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        var uri = address.Contains("://", StringComparison.Ordinal) ? new Uri(address) : new Uri($"http://{address}");
        _client = new GrpcUnaryClient(uri, options);
    }

    /// <inheritdoc />
    public Task<BundleResponse> GetBundleAsync(BundleRequest request, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        _client.CallAsync(GetBundleMethod, request, BundleResponse.Parser, timeout: timeout, cancellationToken: cancellationToken);

    /// <inheritdoc />
    public Task<SecretResponse> GetSecretAsync(SecretRequest request, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        _client.CallAsync(GetSecretMethod, request, SecretResponse.Parser, timeout: timeout, cancellationToken: cancellationToken);

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();
}
