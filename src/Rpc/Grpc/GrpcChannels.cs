using System.Net;
using Grpc.Net.Client;
using Sealpod.Linux.IO;

namespace Sealpod.Rpc.Grpc;

/// <summary>
/// gRPC channels (Grpc.Net.Client) over HTTP/2 cleartext with prior knowledge (h2c), to a TCP endpoint
/// (<c>http://host:port</c>) or a unix socket (<c>unix:///path</c>, or a plain path). Generated clients
/// (Grpc.Tools, <c>GrpcServices="Client"</c>) take the channel; <see cref="GrpcCalls"/> runs their calls
/// with the project's deadlines and errors. A channel pools its HTTP/2 connections: share it, dispose it once.
/// </summary>
public static class GrpcChannels
{
    // Requests over a unix socket still need an authority; gRPC servers ignore it.
    private static readonly Uri UnixBaseAddress = new("http://localhost/");

    /// <summary>Opens a channel to <c>http://host:port</c> (TCP) or <c>unix:///path</c> (unix socket).</summary>
    /// <exception cref="ArgumentException">The address is neither.</exception>
    public static GrpcChannel ForAddress(Uri address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsAbsoluteUri && address.Scheme == "unix")
        {
            return Create(UnixBaseAddress, Uri.UnescapeDataString(address.AbsolutePath));
        }

        if (address.IsAbsoluteUri && address.Scheme == Uri.UriSchemeHttp)
        {
            return Create(new Uri(address.GetLeftPart(UriPartial.Authority) + "/"), unixSocketPath: null);
        }

        throw new ArgumentException(
            $"gRPC address '{address}' must be http://host:port (h2c) or unix:///path.", nameof(address));
    }

    /// <summary>Opens a channel to the unix socket at <paramref name="socketPath"/>, used verbatim.</summary>
    public static GrpcChannel ForUnixSocket(string socketPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(socketPath);
        return Create(UnixBaseAddress, Path.GetFullPath(socketPath));
    }

    private static GrpcChannel Create(Uri baseAddress, string? unixSocketPath)
    {
        var handler = new SocketsHttpHandler
        {
            // gRPC needs none of HTTP's client conveniences, and a proxy from the environment
            // must not capture loopback or unix-socket traffic.
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            EnableMultipleHttp2Connections = true,
        };
        if (unixSocketPath is not null)
        {
            handler.ConnectCallback = (_, cancellationToken) => ConnectUnixAsync(unixSocketPath, cancellationToken);
        }

        return GrpcChannel.ForAddress(baseAddress, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
        });
    }

    private static async ValueTask<Stream> ConnectUnixAsync(string path, CancellationToken cancellationToken) =>
        await UnixStreamSocket.ConnectStreamAsync(path, cancellationToken).ConfigureAwait(false);
}
