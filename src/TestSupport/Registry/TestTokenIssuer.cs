using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Sealpod.Linux.Netlink;

namespace Sealpod.TestSupport.Registry;

/// <summary>
/// The test's own token service for docker-registry's <c>auth: token:</c> (the Docker registry token protocol): a
/// stand-in for a real authorization server (Docker Hub's auth.docker.io, Harbor's core), which cannot run here. It is
/// deliberately small: GET <c>/token?service=..&amp;scope=repository:NAME:ACTIONS</c> with Basic credentials answers
/// <c>{"token": JWT}</c> granting what was asked; without or with wrong credentials it answers 401. The JWT is RS256,
/// signed with a key made here whose self-signed certificate travels in the header's <c>x5c</c> and is the registry's
/// <c>rootcertbundle</c>: the real registry checks signature, issuer, audience, expiry and access itself.
/// It listens inside the harness's namespace (HTTPS with the test CA's server certificate when <c>tls</c>).
/// </summary>
public sealed class TestTokenIssuer : IAsyncDisposable
{
    public const string Issuer = "sealpod-test-token-issuer";
    public const string Service = "sealpod-test-registry";

    private readonly Socket _listener;
    private readonly X509Certificate2? _serverCertificate;
    private readonly RSA _signingKey;
    private readonly X509Certificate2 _signingCertificate;
    private readonly string _user;
    private readonly string _password;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _issued;
    private int _refused;

    private TestTokenIssuer(Socket listener, X509Certificate2? serverCertificate, string user, string password, string directory)
    {
        _listener = listener;
        _serverCertificate = serverCertificate;
        _user = user;
        _password = password;
        _signingKey = RSA.Create(2048);
        var request = new CertificateRequest("CN=" + Issuer, _signingKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        _signingCertificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(2));
        RootCertBundle = Path.Combine(directory, "token-signer.crt");
        File.WriteAllText(RootCertBundle, _signingCertificate.ExportCertificatePem() + "\n");
        _accepting = AcceptAsync(_stop.Token);
    }

    /// <summary>The registry's <c>auth.token.rootcertbundle</c>: the signing certificate.</summary>
    public string RootCertBundle { get; }

    /// <summary>The port it listens on, on every address of the namespace.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    /// <summary>How many tokens it issued and how many requests it refused (401).</summary>
    public int Issued => Volatile.Read(ref _issued);

    public int Refused => Volatile.Read(ref _refused);

    /// <param name="tlsCertificate">Null: plain HTTP.</param>
    public static async Task<TestTokenIssuer> StartAsync(string namespacePath, X509Certificate2? tlsCertificate, string user, string password, string directory, CancellationToken cancellationToken)
    {
        var socket = await NetworkNamespace.RunAsync(namespacePath, () =>
        {
            var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Any, 0));
            listener.Listen(16);
            return listener;
        }, cancellationToken).ConfigureAwait(false);
        return new TestTokenIssuer(socket, tlsCertificate, user, password, directory);
    }

    /// <summary>The realm for a registry whose clients reach this issuer at <paramref name="host"/>.</summary>
    public string Realm(string host) => $"{(_serverCertificate is null ? "http" : "https")}://{host}:{Port}/token";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        try
        {
            await _accepting.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
        _signingKey.Dispose();
        _signingCertificate.Dispose();
    }

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var connection = await _listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            _ = Task.Run(() => ServeAsync(connection, cancellationToken), cancellationToken);
        }
    }

    private async Task ServeAsync(Socket connection, CancellationToken cancellationToken)
    {
        try
        {
            using (connection)
            {
                Stream stream = new NetworkStream(connection, ownsSocket: false);
                if (_serverCertificate is not null)
                {
                    var tls = new SslStream(stream);
                    await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _serverCertificate }, cancellationToken).ConfigureAwait(false);
                    stream = tls;
                }

                await using (stream.ConfigureAwait(false))
                {
                    var (target, headers) = await ReadRequestAsync(stream, cancellationToken).ConfigureAwait(false);
                    var (status, body) = Answer(target, headers);
                    var response = Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n");
                    await stream.WriteAsync(response, cancellationToken).ConfigureAwait(false);
                    await stream.WriteAsync(Encoding.UTF8.GetBytes(body), cancellationToken).ConfigureAwait(false);
                    await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or System.Security.Authentication.AuthenticationException or InvalidDataException)
        {
            // A client that went away or failed its handshake (e.g. one that does not trust the test CA): its own error says so.
        }
    }

    private static async Task<(string Target, Dictionary<string, string> Headers)> ReadRequestAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (buffer.Count < 16384)
        {
            if (await stream.ReadAsync(one, cancellationToken).ConfigureAwait(false) == 0)
            {
                throw new InvalidDataException("connection closed before the request's end");
            }

            buffer.Add(one[0]);
            if (buffer.Count >= 4 && buffer[^4] == '\r' && buffer[^3] == '\n' && buffer[^2] == '\r' && buffer[^1] == '\n')
            {
                var lines = Encoding.ASCII.GetString([.. buffer]).Split("\r\n");
                var requestLine = lines[0].Split(' ');
                var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var line in lines.Skip(1).Where(l => l.Contains(':', StringComparison.Ordinal)))
                {
                    headers[line[..line.IndexOf(':', StringComparison.Ordinal)].Trim()] = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
                }

                return (requestLine.Length > 1 ? requestLine[1] : "/", headers);
            }
        }

        throw new InvalidDataException("request headers longer than 16 KiB");
    }

    private (string Status, string Body) Answer(string target, Dictionary<string, string> headers)
    {
        var query = target.Contains('?', StringComparison.Ordinal) ? target[(target.IndexOf('?', StringComparison.Ordinal) + 1)..] : "";
        var parameters = query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => (Name: Uri.UnescapeDataString(p[0]), Value: p.Length > 1 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : ""))
            .ToList();
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_user}:{_password}"));
        if (!headers.TryGetValue("Authorization", out var authorization) || authorization != expected)
        {
            Interlocked.Increment(ref _refused);
            return ("401 Unauthorized", "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"valid credentials required\"}]}");
        }

        var access = parameters.Where(p => p.Name == "scope")
            .SelectMany(p => p.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(scope => (Type: scope[..scope.IndexOf(':', StringComparison.Ordinal)], Name: scope[(scope.IndexOf(':', StringComparison.Ordinal) + 1)..scope.LastIndexOf(':')], Actions: scope[(scope.LastIndexOf(':') + 1)..].Split(',')))
            .ToList();
        var token = Sign(parameters.FirstOrDefault(p => p.Name == "service").Value ?? Service, access);
        Interlocked.Increment(ref _issued);
        return ("200 OK", JsonSerializer.Serialize(new Dictionary<string, object> { ["token"] = token, ["access_token"] = token, ["expires_in"] = 300 }));
    }

    private string Sign(string audience, List<(string Type, string Name, string[] Actions)> access)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["typ"] = "JWT",
            ["alg"] = "RS256",
            ["x5c"] = new[] { Convert.ToBase64String(_signingCertificate.RawData) },
        });
        var claims = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["iss"] = Issuer,
            ["sub"] = _user,
            ["aud"] = audience,
            ["exp"] = now + 300,
            ["nbf"] = now - 30,
            ["iat"] = now,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["access"] = access.Select(a => new Dictionary<string, object> { ["type"] = a.Type, ["name"] = a.Name, ["actions"] = a.Actions }).ToArray(),
        });
        var signingInput = Base64Url(Encoding.UTF8.GetBytes(header)) + "." + Base64Url(Encoding.UTF8.GetBytes(claims));
        var signature = _signingKey.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url(signature);
    }

    private static string Base64Url(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
