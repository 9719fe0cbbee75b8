using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Google.Protobuf;
using Sealpod.Grpc.Internal;
using Sealpod.Rpc;

namespace Sealpod.Grpc;

/// <summary>
/// Makes unary gRPC calls over HTTP/2 cleartext with prior knowledge (h2c), to a TCP
/// endpoint (<c>http://host:port</c>) or a unix socket (<c>unix:///path</c>).
/// </summary>
/// <remarks>
/// Failures surface as <see cref="RpcException"/>: the server's grpc-status, gRPC's mapping of
/// HTTP errors, <see cref="StatusCode.DeadlineExceeded"/> when the call's timeout expires, and
/// transport errors (refused connection, reset stream) as their nearest status. Cancelling
/// the caller's token throws <see cref="OperationCanceledException"/> and resets the stream.
/// One instance pools its HTTP/2 connections; share it and dispose it once.
/// </remarks>
public sealed class GrpcUnaryClient : IDisposable
{
    // Requests over a unix socket still need an authority; gRPC servers ignore it.
    private static readonly Uri UnixBaseAddress = new("http://localhost/");

    private readonly HttpMessageInvoker _invoker;
    private readonly Uri _baseAddress;
    private readonly GrpcClientOptions _options;
    private int _disposed;

    /// <summary>Connects to <c>http://host:port</c> (TCP) or <c>unix:///path</c> (unix socket).</summary>
    public GrpcUnaryClient(Uri address, GrpcClientOptions? options = null)
        : this(ResolveEndpoint(address), options)
    {
    }

    private GrpcUnaryClient((Uri BaseAddress, string? UnixSocketPath) endpoint, GrpcClientOptions? options)
    {
        _options = Validate(options ?? new GrpcClientOptions());
        _baseAddress = endpoint.BaseAddress;
        var handler = CreateHandler();
        if (endpoint.UnixSocketPath is { } path)
        {
            handler.ConnectCallback = (_, cancellationToken) => ConnectUnixAsync(path, cancellationToken);
        }

        _invoker = new HttpMessageInvoker(handler, disposeHandler: true);
    }

    /// <summary>Connects to a unix socket given as a plain path.</summary>
    public static GrpcUnaryClient ForUnixSocket(string socketPath, GrpcClientOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(socketPath);
        return new GrpcUnaryClient((UnixBaseAddress, Path.GetFullPath(socketPath)), options);
    }

    /// <summary>Calls <paramref name="method"/> ("/package.Service/Method") and returns its response.</summary>
    /// <param name="timeout">Deadline of the call, sent as grpc-timeout; null uses <see cref="GrpcClientOptions.DefaultTimeout"/>.</param>
    /// <exception cref="RpcException">The call failed; <see cref="RpcException.StatusCode"/> says how.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<TResponse> CallAsync<TRequest, TResponse>(
        string method,
        TRequest request,
        MessageParser<TResponse> parser,
        GrpcMetadata? metadata = null,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
        where TRequest : IMessage
        where TResponse : IMessage<TResponse>
    {
        GrpcCallResult<TResponse> result = await CallWithMetadataAsync(method, request, parser, metadata, timeout, cancellationToken)
            .ConfigureAwait(false);
        return result.Response;
    }

    /// <summary>Like <see cref="CallAsync"/>, also returning the response headers and trailers.</summary>
    public async Task<GrpcCallResult<TResponse>> CallWithMetadataAsync<TRequest, TResponse>(
        string method,
        TRequest request,
        MessageParser<TResponse> parser,
        GrpcMetadata? metadata = null,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
        where TRequest : IMessage
        where TResponse : IMessage<TResponse>
    {
        ValidateMethod(method);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(parser);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();

        TimeSpan? effectiveTimeout = timeout ?? _options.DefaultTimeout;
        if (effectiveTimeout <= TimeSpan.Zero)
        {
            throw new RpcException(StatusCode.DeadlineExceeded, $"{method}: the deadline had passed before the call started.");
        }

        byte[] frame = GrpcMessageFraming.Frame(request, _options.MaxSendMessageSize, method);
        using HttpRequestMessage httpRequest = BuildRequest(method, frame, metadata, effectiveTimeout);
        using CancellationTokenSource? deadline = effectiveTimeout is { } limit
            ? new CancellationTokenSource(limit, _options.TimeProvider)
            : null;
        using CancellationTokenSource linked = deadline is null
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken)
            : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);

        try
        {
            using HttpResponseMessage response = await _invoker.SendAsync(httpRequest, linked.Token).ConfigureAwait(false);
            return await ReadResponseAsync(response, method, parser, linked.Token).ConfigureAwait(false);
        }
        catch (RpcException)
        {
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (deadline?.IsCancellationRequested == true
            && e is OperationCanceledException or IOException or HttpRequestException)
        {
            throw new RpcException(
                StatusCode.DeadlineExceeded,
                $"{method}: deadline exceeded after {effectiveTimeout!.Value.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms.",
                e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw TransportErrorMapping.ToRpcException(e, method);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _invoker.Dispose();
        }
    }

    private HttpRequestMessage BuildRequest(string method, byte[] frame, GrpcMetadata? metadata, TimeSpan? timeout)
    {
        var content = new ByteArrayContent(frame);
        content.Headers.ContentType = new MediaTypeHeaderValue(GrpcHeaders.ContentType);
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_baseAddress, method))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        request.Headers.TryAddWithoutValidation("user-agent", _options.UserAgent);
        if (timeout is { } t)
        {
            request.Headers.TryAddWithoutValidation(GrpcHeaders.Timeout, GrpcTimeout.Encode(t));
        }

        // HttpClient folds repeated header fields into one; doing it ourselves chooses the
        // separator: ", " for text as HTTP does, a bare "," between base64 values, the form
        // gRPC servers that accept folded binary values split on (grpc-go 1.33 does not).
        foreach (IGrouping<string, GrpcMetadataEntry> key in (metadata ?? []).GroupBy(e => e.Key, StringComparer.Ordinal))
        {
            string separator = key.Key.EndsWith(GrpcHeaders.BinarySuffix, StringComparison.Ordinal) ? "," : ", ";
            request.Headers.TryAddWithoutValidation(key.Key, string.Join(separator, key.Select(e => e.Value)));
        }

        return request;
    }

    private async Task<GrpcCallResult<TResponse>> ReadResponseAsync<TResponse>(
        HttpResponseMessage response, string method, MessageParser<TResponse> parser, CancellationToken cancellationToken)
        where TResponse : IMessage<TResponse>
    {
        // Trailers-only: a call that fails before any message puts its status in the headers.
        if (FirstValue(response.Headers, GrpcHeaders.Status) is not null)
        {
            ThrowIfNotOk(response.Headers, method);
            throw new RpcException(StatusCode.Internal, $"{method}: server reported success without a response message.");
        }

        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new RpcException(
                HttpStatusMapping.ToStatusCode(response.StatusCode),
                $"{method}: HTTP status {(int)response.StatusCode} ({response.ReasonPhrase}) without grpc-status.");
        }

        string? mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType is null || !mediaType.StartsWith(GrpcHeaders.ContentType, StringComparison.OrdinalIgnoreCase))
        {
            throw new RpcException(StatusCode.Unknown, $"{method}: response content-type '{mediaType}' is not gRPC.");
        }

        GrpcMetadata headers = ToMetadata(response.Headers);
        Stream body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            using RentedMessage? message = await GrpcMessageFraming
                .ReadSingleAsync(body, _options.MaxReceiveMessageSize, method, cancellationToken)
                .ConfigureAwait(false);

            if (FirstValue(response.TrailingHeaders, GrpcHeaders.Status) is null)
            {
                throw new RpcException(StatusCode.Internal, $"{method}: response ended without grpc-status.");
            }

            ThrowIfNotOk(response.TrailingHeaders, method);
            if (message is null)
            {
                throw new RpcException(StatusCode.Internal, $"{method}: server reported success without a response message.");
            }

            TResponse value;
            try
            {
                value = parser.ParseFrom(message.Span);
            }
            catch (InvalidProtocolBufferException e)
            {
                throw new RpcException(StatusCode.Internal, $"{method}: response does not parse as {typeof(TResponse).Name}: {e.Message}", e);
            }

            return new GrpcCallResult<TResponse>(value, headers, ToMetadata(response.TrailingHeaders));
        }
    }

    private static void ThrowIfNotOk(HttpHeaders headers, string method)
    {
        string raw = FirstValue(headers, GrpcHeaders.Status)!;
        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out int code))
        {
            throw new RpcException(StatusCode.Unknown, $"{method}: invalid grpc-status '{raw}'.");
        }

        if (code == (int)StatusCode.OK)
        {
            return;
        }

        StatusCode status = Enum.IsDefined((StatusCode)code) ? (StatusCode)code : StatusCode.Unknown;
        string message = PercentEncoding.Decode(FirstValue(headers, GrpcHeaders.Message) ?? string.Empty);
        throw new RpcException(status, message)
        {
            Details = StatusDetails.Parse(FirstValue(headers, GrpcHeaders.StatusDetails)),
        };
    }

    private static GrpcMetadata ToMetadata(HttpHeaders headers)
    {
        var metadata = new GrpcMetadata();
        foreach (KeyValuePair<string, HeaderStringValues> header in headers.NonValidated)
        {
            string key = header.Key.ToLowerInvariant();
            if (GrpcHeaders.IsReserved(key))
            {
                continue;
            }

            foreach (string value in header.Value)
            {
                try
                {
                    metadata.AddReceived(key, value);
                }
                catch (FormatException)
                {
                    // A -bin value that is not base64 is the peer's bug; drop it rather than the call.
                }
            }
        }

        return metadata;
    }

    private static string? FirstValue(HttpHeaders headers, string name) =>
        headers.NonValidated.TryGetValues(name, out HeaderStringValues values) ? values.FirstOrDefault() : null;

    private static (Uri BaseAddress, string? UnixSocketPath) ResolveEndpoint(Uri address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsAbsoluteUri && address.Scheme == "unix")
        {
            return (UnixBaseAddress, Uri.UnescapeDataString(address.AbsolutePath));
        }

        if (address.IsAbsoluteUri && address.Scheme == Uri.UriSchemeHttp)
        {
            return (new Uri(address.GetLeftPart(UriPartial.Authority) + "/"), null);
        }

        throw new ArgumentException(
            $"gRPC address '{address}' must be http://host:port (h2c) or unix:///path.", nameof(address));
    }

    private static SocketsHttpHandler CreateHandler() => new()
    {
        // gRPC needs none of HTTP's client conveniences, and a proxy from the environment
        // must not capture loopback or unix-socket traffic.
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        EnableMultipleHttp2Connections = true,
    };

    private static async ValueTask<Stream> ConnectUnixAsync(string path, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static void ValidateMethod(string method)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        int slash = method.IndexOf('/', 1);
        if (method[0] != '/' || slash <= 1 || slash == method.Length - 1 || method.IndexOf('/', slash + 1) >= 0)
        {
            throw new ArgumentException($"gRPC method '{method}' must look like /package.Service/Method.", nameof(method));
        }
    }

    private static GrpcClientOptions Validate(GrpcClientOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxReceiveMessageSize, nameof(options.MaxReceiveMessageSize));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxSendMessageSize, nameof(options.MaxSendMessageSize));
        ArgumentNullException.ThrowIfNull(options.TimeProvider, nameof(options.TimeProvider));
        ArgumentException.ThrowIfNullOrEmpty(options.UserAgent, nameof(options.UserAgent));
        return options;
    }
}
