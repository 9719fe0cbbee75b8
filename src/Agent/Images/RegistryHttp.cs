using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Sealpod.Agent.Images;

/// <summary>
/// The guest's HTTP stack for registries: TLS through the OpenSSL the guest image carries (libssl.so.3, loaded by
/// .NET's System.Security.Cryptography.Native), trusting only the guest image's CA bundle and the PEM certificates
/// Init-Data adds (cdh.toml <c>[image] extra_root_certificates</c>), never the host's. One connection pool per set of
/// extra roots (Init-Data is read at every pull but fixed for the VM's life, so in practice one).
/// </summary>
internal sealed class RegistryHttp : IDisposable
{
    private readonly string _bundle;
    private readonly Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>>? _connect;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, HttpMessageInvoker> _clients = new(StringComparer.Ordinal);
    private X509Certificate2Collection? _bundleRoots;

    /// <param name="bundle">The guest image's CA bundle (PEM); a missing file trusts only Init-Data's roots.</param>
    /// <param name="connect">How connections open; tests open them in their network namespace.</param>
    public RegistryHttp(string bundle, Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>>? connect = null)
    {
        _bundle = bundle;
        _connect = connect;
    }

    /// <summary>Where the trusted roots come from, for errors.</summary>
    public string TrustSources => $"the guest image's CA bundle {_bundle} and Init-Data's cdh.toml [image] extra_root_certificates";

    /// <summary>The client whose TLS trusts the guest's bundle plus <paramref name="extraRoots"/>.</summary>
    public HttpMessageInvoker For(IReadOnlyList<string> extraRoots, string image)
    {
        ArgumentNullException.ThrowIfNull(extraRoots);
        var key = string.Join('\n', extraRoots);
        lock (_lock)
        {
            if (_clients.TryGetValue(key, out var existing))
            {
                return existing;
            }

            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.AddRange(BundleRoots(image));
            for (var i = 0; i < extraRoots.Count; i++)
            {
                policy.CustomTrustStore.AddRange(ParseExtraRoot(extraRoots[i], i, image));
            }

            var handler = new SocketsHttpHandler
            {
                PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
                SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy },
            };
            if (_connect is not null)
            {
                handler.ConnectCallback = _connect;
            }

            var client = new HttpMessageInvoker(handler);
            _clients[key] = client;
            return client;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var client in _clients.Values)
            {
                client.Dispose();
            }

            _clients.Clear();
        }
    }

    private X509Certificate2Collection BundleRoots(string image)
    {
        if (_bundleRoots is not null)
        {
            return _bundleRoots;
        }

        var roots = new X509Certificate2Collection();
        if (File.Exists(_bundle))
        {
            try
            {
                roots.ImportFromPemFile(_bundle);
            }
            catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
            {
                throw new ImagePullException(image, $"the guest image's CA bundle {_bundle} cannot be read: {e.Message}", e);
            }
        }

        return _bundleRoots = roots;
    }

    private static X509Certificate2Collection ParseExtraRoot(string pem, int index, string image)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(pem);
        }
        catch (CryptographicException e)
        {
            throw new ImagePullException(image, $"Init-Data's cdh.toml image.extra_root_certificates[{index}] is not a PEM certificate: {e.Message}", e);
        }

        return certificates.Count > 0
            ? certificates
            : throw new ImagePullException(image, $"Init-Data's cdh.toml image.extra_root_certificates[{index}] holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }
}
