using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging.Abstractions;

namespace Sealpod.Fuzz;

/// <summary>
/// A registry in memory for the image targets: the real <see cref="RegistryClient"/> resolves "registry.fuzz/app:1"
/// through it, so the manifest, index and config bytes are read exactly as a pull reads them. The tag answers
/// <see cref="Tag"/>; any manifest by digest answers <see cref="ByDigest"/>; any blob answers <see cref="Blob"/>.
/// A document names the other documents' digests with the placeholders <c>@MANIFEST@</c> and <c>@CONFIG@</c>,
/// which are replaced by their real sha256 so that fuzzed inputs get past the digest checks into the parsers.
/// </summary>
internal sealed class FuzzRegistry : HttpMessageHandler
{
    public required byte[] Tag { get; init; }

    public byte[] ByDigest { get; init; } = [];

    public byte[] Blob { get; init; } = [];

    public string? ContentType { get; init; }

    public static byte[] Fill(byte[] document, byte[] manifest, byte[] config)
    {
        var text = System.Text.Encoding.Latin1.GetString(document)
            .Replace("@MANIFEST@", BlobDigest.Of(manifest).ToString(), StringComparison.Ordinal)
            .Replace("@CONFIG@", BlobDigest.Of(config).ToString(), StringComparison.Ordinal);
        return System.Text.Encoding.Latin1.GetBytes(text);
    }

    /// <summary>Resolves the image as the agent does, then reads each layer's digest and compression as the store does.</summary>
    public ResolvedImage Resolve()
    {
        using var http = new HttpMessageInvoker(this, disposeHandler: false);
        var client = new RegistryClient(http, RegistrySettings.Empty, NullLogger.Instance);
        var image = ImageReference.Parse("registry.fuzz/app:1");
        var resolved = client.ResolveAsync(image, CancellationToken.None).GetAwaiter().GetResult();
        foreach (var layer in resolved.Layers)
        {
            _ = BlobDigest.Parse(layer.Digest, image.ToString());
            _ = MediaTypes.LayerCompressionOf(layer.MediaType, image.ToString());
        }

        _ = resolved.Config.Rootfs?.DiffIds?.Count;
        return resolved;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        var body = path.Contains("/blobs/", StringComparison.Ordinal) ? Blob
            : path.Contains("/manifests/sha256:", StringComparison.Ordinal) ? ByDigest
            : Tag;
        var content = new ByteArrayContent(body);
        if (ContentType is not null && !path.Contains("/blobs/", StringComparison.Ordinal))
        {
            content.Headers.ContentType = new MediaTypeHeaderValue(ContentType);
        }

        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request });
    }
}
