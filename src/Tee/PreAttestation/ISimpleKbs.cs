namespace Sealpod.Tee.PreAttestation;

/// <summary>simple-kbs's KeyBrokerService, as the pre-attestation flow uses it.</summary>
public interface ISimpleKbs : IDisposable
{
    /// <summary>Checks the platform certificate chain and returns the launch session for <see cref="BundleRequest.Policy"/>.</summary>
    Task<BundleResponse> GetBundleAsync(BundleRequest request, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>Verifies the launch measurement and returns the secret packaged for injection.</summary>
    Task<SecretResponse> GetSecretAsync(SecretRequest request, TimeSpan timeout, CancellationToken cancellationToken = default);
}
