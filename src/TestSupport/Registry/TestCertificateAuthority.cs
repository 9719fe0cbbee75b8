using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Sealpod.TestSupport.Registry;

/// <summary>
/// A CA made for one fixture (nothing is trusted system-wide) and one server certificate it signs for the given
/// hosts (IP SANs for addresses, DNS SANs otherwise), as PEM files: <c>ca.crt</c> in <see cref="CertDirectory"/>
/// (the layout skopeo's <c>--dest-cert-dir</c> and containerd's certs.d read), <c>server.crt</c>/<c>server.key</c>.
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    public TestCertificateAuthority(string directory, IReadOnlyList<string> hosts)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        CertDirectory = Directory.CreateDirectory(Path.Combine(directory, "certs")).FullName;
        var notBefore = DateTimeOffset.UtcNow.AddMinutes(-5);
        var notAfter = DateTimeOffset.UtcNow.AddDays(2);

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Sealpod test CA " + Guid.NewGuid().ToString("N")[..8], caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        Certificate = caRequest.CreateSelfSigned(notBefore, notAfter);
        CertificatePem = Certificate.ExportCertificatePem() + "\n";
        CertificateFile = Path.Combine(CertDirectory, "ca.crt");
        File.WriteAllText(CertificateFile, CertificatePem);

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=" + hosts[0], serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var host in hosts)
        {
            if (IPAddress.TryParse(host, out var address))
            {
                names.AddIpAddress(address);
            }
            else
            {
                names.AddDnsName(host);
            }
        }

        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var signed = serverRequest.Create(Certificate, notBefore, notAfter.AddMinutes(-1), RandomNumberGenerator.GetBytes(12));
        ServerCertificateFile = Path.Combine(directory, "server.crt");
        ServerKeyFile = Path.Combine(directory, "server.key");
        File.WriteAllText(ServerCertificateFile, signed.ExportCertificatePem() + "\n");
        File.WriteAllText(ServerKeyFile, serverKey.ExportPkcs8PrivateKeyPem() + "\n");
        // Through PKCS#12 so that the key is a persisted one SslStream can use as a server on every platform.
        using var withKey = signed.CopyWithPrivateKey(serverKey);
        ServerCertificate = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>The CA certificate (no private key kept).</summary>
    public X509Certificate2 Certificate { get; }

    public string CertificatePem { get; }

    /// <summary><c>DIR/certs/ca.crt</c>.</summary>
    public string CertificateFile { get; }

    public string CertDirectory { get; }

    /// <summary>The server certificate with its key, for the harness's own TLS servers (the token issuer).</summary>
    public X509Certificate2 ServerCertificate { get; }

    public string ServerCertificateFile { get; }

    public string ServerKeyFile { get; }

    /// <summary>A client handler setting that trusts this CA only (for the test's own HTTPS clients).</summary>
    public System.Net.Security.SslClientAuthenticationOptions ClientOptions()
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(Certificate);
        return new System.Net.Security.SslClientAuthenticationOptions { CertificateChainPolicy = policy };
    }

    public void Dispose()
    {
        Certificate.Dispose();
        ServerCertificate.Dispose();
    }
}
