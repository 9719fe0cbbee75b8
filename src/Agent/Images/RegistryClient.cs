using System.Net.Http.Headers;
using Sealpod.InitData.Hashing;

namespace Sealpod.Agent.Images;

/// <summary>
/// The OCI distribution client: manifests by tag or digest (an index or Docker manifest list resolved to
/// linux/amd64), blobs streamed to a file and checked against their sha256 before anyone uses them. Anonymous
/// access first; a 401's <c>WWW-Authenticate</c> says how to authenticate (a bearer token from the realm, with the
/// registry's credentials if configured, or Basic). HTTPS unless <see cref="RegistrySettings"/> marks the registry
/// insecure. Every error names the image and the cause.
/// </summary>
internal sealed class RegistryClient
{
    private const long MaxManifestBytes = 4 << 20;
    private const string Platform = "linux/amd64";

    private readonly HttpMessageInvoker _http;
    private readonly RegistrySettings _settings;
    private readonly ILogger _log;
    private readonly Dictionary<string, AuthenticationHeaderValue> _authorization = new(StringComparer.Ordinal);
    private readonly Lock _authorizationLock = new();

    private readonly string _trustSources;

    /// <param name="trustSources">Where the trusted TLS roots come from, named when a certificate is refused.</param>
    public RegistryClient(HttpMessageInvoker http, RegistrySettings settings, ILogger log, string trustSources = "the guest's CA bundle")
    {
        _http = http;
        _settings = settings;
        _log = log;
        _trustSources = trustSources;
    }

    /// <summary>Resolves the reference to the image manifest for linux/amd64, its digest and its config.</summary>
    public async Task<ResolvedImage> ResolveAsync(ImageReference image, CancellationToken cancellationToken)
    {
        var (document, digest, mediaType) = await GetManifestAsync(image, image.Reference, image.Digest, cancellationToken).ConfigureAwait(false);
        if (MediaTypes.IsIndex(mediaType) || document.Manifests is not null && document.Layers is null)
        {
            var entry = document.Manifests?.FirstOrDefault(m => m.Platform is { Os: "linux", Architecture: "amd64" })
                ?? throw new ImagePullException(image.ToString(), $"the image index {digest} has no manifest for {Platform} (it lists {string.Join(", ", (document.Manifests ?? []).Select(m => $"{m.Platform?.Os}/{m.Platform?.Architecture}"))})");
            // Checked before the request: a null digest (JSON null, found by fuzzing) would otherwise skip the check.
            var chosen = BlobDigest.Parse(entry.Digest, image.ToString()).ToString();
            (document, digest, mediaType) = await GetManifestAsync(image, chosen, chosen, cancellationToken).ConfigureAwait(false);
        }

        if (document.Config is null || document.Layers is null)
        {
            throw new ImagePullException(image.ToString(), $"manifest {digest} ({mediaType}) is not an image manifest (no config or layers)");
        }

        var config = await GetSmallBlobAsync(image, document.Config, cancellationToken).ConfigureAwait(false);
        ImageConfigDocument? configDocument;
        try
        {
            configDocument = JsonSerializer.Deserialize(config, ImageJsonContext.Default.ImageConfigDocument);
        }
        catch (JsonException e)
        {
            throw new ImagePullException(image.ToString(), $"image config {document.Config.Digest} is not valid JSON: {e.Message}");
        }

        return new ResolvedImage(image, digest, document.Layers, configDocument ?? new ImageConfigDocument());
    }

    /// <summary>
    /// Streams a blob into <paramref name="path"/> while hashing it; a blob whose sha256 is not its digest is deleted
    /// and fails the pull naming both digests.
    /// </summary>
    public async Task DownloadBlobAsync(ImageReference image, ContentDescriptor blob, string path, CancellationToken cancellationToken)
    {
        var expected = BlobDigest.Parse(blob.Digest, image.ToString());
        using var response = await SendAsync(image, $"/blobs/{expected}", null, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(image, response, $"blob {expected}", cancellationToken).ConfigureAwait(false);
        var hash = new Sha256();
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous);
            await using (output.ConfigureAwait(false))
            {
                var buffer = new byte[128 * 1024];
                int read;
                while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hash.Append(buffer.AsSpan(0, read));
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
            }
        }

        var actual = BlobDigest.FromHash(hash.GetHashAndReset());
        if (actual != expected)
        {
            File.Delete(path);
            throw new ImagePullException(image.ToString(), $"layer digest mismatch: expected {expected}, the registry sent content with digest {actual}");
        }
    }

    private async Task<(ManifestDocument Document, BlobDigest Digest, string? MediaType)> GetManifestAsync(
        ImageReference image, string reference, string? expectedDigest, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(image, $"/manifests/{reference}", MediaTypes.Manifests, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            var what = reference.StartsWith(BlobDigest.Prefix, StringComparison.Ordinal) ? $"manifest {reference}" : $"tag '{reference}'";
            throw new ImagePullException(image.ToString(), $"{what} not found in {image.Registry}/{image.Repository} (404 manifest unknown)");
        }

        await EnsureSuccessAsync(image, response, $"manifest {reference}", cancellationToken).ConfigureAwait(false);
        var body = await ReadBoundedAsync(image, response, MaxManifestBytes, cancellationToken).ConfigureAwait(false);
        var digest = BlobDigest.Of(body);
        if (expectedDigest is not null && digest != BlobDigest.Parse(expectedDigest, image.ToString()))
        {
            throw new ImagePullException(image.ToString(), $"manifest digest mismatch: expected {expectedDigest}, the registry sent content with digest {digest}");
        }

        ManifestDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(body, ImageJsonContext.Default.ManifestDocument);
        }
        catch (JsonException e)
        {
            throw new ImagePullException(image.ToString(), $"manifest {reference} is not valid JSON: {e.Message}");
        }

        var mediaType = document?.MediaType ?? response.Content.Headers.ContentType?.MediaType;
        return (document ?? new ManifestDocument(), digest, mediaType);
    }

    private async Task<byte[]> GetSmallBlobAsync(ImageReference image, ContentDescriptor blob, CancellationToken cancellationToken)
    {
        var expected = BlobDigest.Parse(blob.Digest, image.ToString());
        using var response = await SendAsync(image, $"/blobs/{expected}", null, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(image, response, $"config {expected}", cancellationToken).ConfigureAwait(false);
        var body = await ReadBoundedAsync(image, response, MaxManifestBytes, cancellationToken).ConfigureAwait(false);
        var actual = BlobDigest.Of(body);
        return actual == expected
            ? body
            : throw new ImagePullException(image.ToString(), $"config digest mismatch: expected {expected}, the registry sent content with digest {actual}");
    }

    /// <summary>Sends one GET, authenticating and retrying once when the registry answers 401.</summary>
    private async Task<HttpResponseMessage> SendAsync(ImageReference image, string path, string[]? accept, CancellationToken cancellationToken)
    {
        var secure = !_settings.IsInsecure(image.Registry);
        var uri = new Uri($"{(secure ? "https" : "http")}://{image.Endpoint}/v2/{image.Repository}{path}");
        var key = $"{image.Registry}/{image.Repository}";
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            foreach (var type in accept ?? [])
            {
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
            }

            lock (_authorizationLock)
            {
                if (_authorization.TryGetValue(key, out var header))
                {
                    request.Headers.Authorization = header;
                }
            }

            var response = await SendOrExplainAsync(image, request, $"registry {image.Registry}", $" ({uri.Scheme}://{image.Endpoint})", cancellationToken).ConfigureAwait(false);

            if (response.StatusCode != HttpStatusCode.Unauthorized || attempt > 0)
            {
                return response;
            }

            var challenge = AuthChallenge.Parse(response.Headers.WwwAuthenticate.ToString());
            response.Dispose();
            var authorization = await AuthorizeAsync(image, challenge, secure, cancellationToken).ConfigureAwait(false);
            lock (_authorizationLock)
            {
                _authorization[key] = authorization;
            }
        }
    }

    /// <summary>
    /// Sends one request; a failure to connect names the peer (<paramref name="peer"/>, then <paramref name="where"/>) and,
    /// for a TLS handshake, the trust roots in use, which is what a user has to check.
    /// </summary>
    private async Task<HttpResponseMessage> SendOrExplainAsync(ImageReference image, HttpRequestMessage request, string peer, string where, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (TlsFailure(e) is { } tls)
        {
            throw new ImagePullException(image.ToString(), $"{peer}: TLS handshake failed{where}: {tls.Message} (trusted roots: {_trustSources})", e);
        }
        catch (HttpRequestException e)
        {
            throw new ImagePullException(image.ToString(), $"{peer} unreachable{where}: {e.Message}", e);
        }
    }

    private async Task<AuthenticationHeaderValue> AuthorizeAsync(ImageReference image, AuthChallenge? challenge, bool secure, CancellationToken cancellationToken)
    {
        var credentials = _settings.CredentialsFor(image.Registry);
        if (challenge is null || challenge.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return credentials is null
                ? throw new ImagePullException(image.ToString(), $"registry {image.Registry} requires authentication (401 Unauthorized) and Init-Data configures no credentials for it")
                : Basic(credentials);
        }

        if (!challenge.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) || challenge.Get("realm") is not { Length: > 0 } realm
            || !Uri.TryCreate(realm, UriKind.Absolute, out var realmUri) || realmUri.Scheme is not ("https" or "http"))
        {
            throw new ImagePullException(image.ToString(), $"registry {image.Registry} answered 401 with an unsupported challenge '{challenge.Scheme}' (Bearer with a realm URL, or Basic)");
        }

        if (secure && realmUri.Scheme == "http")
        {
            throw new ImagePullException(image.ToString(), $"registry {image.Registry} sends credentials' token realm {realm} over plain HTTP; mark the registry insecure to allow it");
        }

        var query = new StringBuilder();
        if (challenge.Get("service") is { } service)
        {
            query.Append("service=").Append(Uri.EscapeDataString(service));
        }

        query.Append(query.Length > 0 ? "&" : "").Append("scope=").Append(Uri.EscapeDataString(challenge.Get("scope") ?? $"repository:{image.Repository}:pull"));
        using var request = new HttpRequestMessage(HttpMethod.Get, new UriBuilder(realmUri) { Query = query.ToString() }.Uri);
        if (credentials is not null)
        {
            request.Headers.Authorization = Basic(credentials);
        }

        using (var response = await SendOrExplainAsync(image, request, $"token service {realmUri.GetLeftPart(UriPartial.Path)}", string.Empty, cancellationToken).ConfigureAwait(false))
        {
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new ImagePullException(image.ToString(), credentials is null
                    ? $"registry {image.Registry} requires authentication ({(int)response.StatusCode} from its token service) and Init-Data configures no credentials for it"
                    : $"registry {image.Registry} refused the configured credentials ({(int)response.StatusCode} from its token service)");
            }

            await EnsureSuccessAsync(image, response, "token", cancellationToken).ConfigureAwait(false);
            var body = await ReadBoundedAsync(image, response, 1 << 20, cancellationToken).ConfigureAwait(false);
            var token = JsonSerializer.Deserialize(body, ImageJsonContext.Default.BearerTokenResponse);
            var value = token?.Token ?? token?.AccessToken;
            return value is { Length: > 0 }
                ? new AuthenticationHeaderValue("Bearer", value)
                : throw new ImagePullException(image.ToString(), $"token service {realmUri.GetLeftPart(UriPartial.Path)} returned no token");
        }
    }

    /// <summary>The TLS cause inside an HTTP failure (an untrusted or mismatched certificate), which the user can act on.</summary>
    private static System.Security.Authentication.AuthenticationException? TlsFailure(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e is System.Security.Authentication.AuthenticationException tls)
            {
                return tls;
            }
        }

        return null;
    }

    private static AuthenticationHeaderValue Basic(RegistryCredentials credentials) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Password}")));

    private async Task EnsureSuccessAsync(ImageReference image, HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var detail = "";
        try
        {
            var body = await ReadBoundedAsync(image, response, 4096, cancellationToken).ConfigureAwait(false);
            detail = ": " + Encoding.UTF8.GetString(body).Trim();
        }
        catch (ImagePullException)
        {
        }

        var status = (int)response.StatusCode;
        _log.LogDebug("registry {Registry}: {What} answered {Status}", image.Registry, what, status);
        throw new ImagePullException(image.ToString(), response.StatusCode == HttpStatusCode.Unauthorized
            ? $"registry {image.Registry} refused the configured credentials for {what} (401 Unauthorized)"
            : $"registry {image.Registry} answered {status} {response.ReasonPhrase} for {what}{detail}");
    }

    private static async Task<byte[]> ReadBoundedAsync(ImageReference image, HttpResponseMessage response, long limit, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > limit)
        {
            throw new ImagePullException(image.ToString(), $"the registry's answer is {response.Content.Headers.ContentLength} bytes, more than the {limit} accepted");
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    throw new ImagePullException(image.ToString(), $"the registry's answer is more than the {limit} bytes accepted");
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
    }
}

/// <summary>An image resolved to its linux/amd64 manifest: its digest (logged: what the guest runs), layers and config.</summary>
internal sealed record ResolvedImage(ImageReference Reference, BlobDigest ManifestDigest, IReadOnlyList<ContentDescriptor> Layers, ImageConfigDocument Config);
