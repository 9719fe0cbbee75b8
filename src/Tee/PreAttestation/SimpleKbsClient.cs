using Grpc.Net.Client;
using Sealpod.Rpc.Grpc;

namespace Sealpod.Tee.PreAttestation;

/// <summary>
/// A gRPC (HTTP/2 cleartext) client of simple-kbs at host:port, the form <c>guest_pre_attestation_kbs_uri</c> takes:
/// the Grpc.Tools-generated <see cref="KeyBrokerService.KeyBrokerServiceClient"/> over a <see cref="GrpcChannels"/>
/// channel. Failures are <see cref="Sealpod.Rpc.RpcException"/>, mapped by <see cref="GrpcCalls"/>.
/// </summary>
public sealed class SimpleKbsClient : ISimpleKbs
{
    /// <summary>The gRPC method of <see cref="GetBundleAsync"/>.</summary>
    public const string GetBundleMethod = "/keybroker.KeyBrokerService/GetBundle";

    /// <summary>The gRPC method of <see cref="GetSecretAsync"/>.</summary>
    public const string GetSecretMethod = "/keybroker.KeyBrokerService/GetSecret";

    private readonly GrpcChannel _channel;
    private readonly KeyBrokerService.KeyBrokerServiceClient _client;

    /// <summary>Connects (lazily) to <paramref name="address"/>: <c>host:port</c>, a full <c>http://host:port</c>, or <c>unix:///path</c>.</summary>
    public SimpleKbsClient(string address)
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        var uri = address.Contains("://", StringComparison.Ordinal) ? new Uri(address) : new Uri($"http://{address}");
        _channel = GrpcChannels.ForAddress(uri);
        _client = new KeyBrokerService.KeyBrokerServiceClient(_channel);
    }

    /// <inheritdoc />
    public Task<BundleResponse> GetBundleAsync(BundleRequest request, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        GrpcCalls.UnaryAsync(GetBundleMethod, options => _client.GetBundleAsync(request, options), timeout, cancellationToken: cancellationToken);

    /// <inheritdoc />
    public Task<SecretResponse> GetSecretAsync(SecretRequest request, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        GrpcCalls.UnaryAsync(GetSecretMethod, options => _client.GetSecretAsync(request, options), timeout, cancellationToken: cancellationToken);

    /// <inheritdoc />
    public void Dispose() => _channel.Dispose();
}
