using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Sealpod.Rpc.Ttrpc;

/// <summary>
/// A ttrpc server. Register services first, then serve any mix of listening unix sockets and already
/// connected streams (a virtio-serial port, an accepted vsock connection); disposing closes everything.
/// </summary>
public sealed class TtrpcServer : IAsyncDisposable
{
    // Service and method names are decoded onto the stack for lookup, so dispatch allocates no strings.
    private const int MaxStackNameLength = 256;

    private readonly Dictionary<string, Dictionary<string, TtrpcMethod>> _services = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<TtrpcServerConnection, byte> _connections = new();
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Lazy<(uint UserId, uint GroupId)> _expectedPeer;
    private int _frozen;
    private int _disposed;

    public TtrpcServer(TtrpcServerOptions? options = null)
    {
        Options = options ?? new TtrpcServerOptions();
        _expectedPeer = new Lazy<(uint, uint)>(() =>
        {
            if (Options.ExpectedPeerUserId is { } uid && Options.ExpectedPeerGroupId is { } gid)
            {
                return (uid, gid);
            }

            (uint userId, uint groupId) = UnixPeerCredentials.CurrentEffectiveIds();
            return (Options.ExpectedPeerUserId ?? userId, Options.ExpectedPeerGroupId ?? groupId);
        });
    }

    public TtrpcServerOptions Options { get; }

    /// <summary>Adds a service (fully qualified name, e.g. <c>containerd.task.v2.Task</c>) to register methods on.</summary>
    public TtrpcServiceBuilder AddService(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (IsFrozen)
        {
            throw new InvalidOperationException($"Cannot add service {name}: the server is already serving.");
        }

        var methods = new Dictionary<string, TtrpcMethod>(StringComparer.Ordinal);
        if (!_services.TryAdd(name, methods))
        {
            throw new ArgumentException($"Service {name} is already registered.", nameof(name));
        }

        return new TtrpcServiceBuilder(name, methods, () => IsFrozen);
    }

    /// <summary>
    /// Creates a unix socket at <paramref name="path"/> (mode 0600), serves it until
    /// <paramref name="cancellationToken"/> is cancelled or the server is disposed, then removes it.
    /// </summary>
    public async Task ServeUnixAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ThrowIfDisposed();
        using Socket listener = Listen(path);
        try
        {
            await ServeAsync(listener, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Binds and listens on a new unix socket at <paramref name="path"/>, readable and writable by the owner only.</summary>
    public static Socket Listen(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            listener.Listen(128);
            return listener;
        }
        catch
        {
            bool created = listener.IsBound;
            listener.Dispose();
            if (created)
            {
                File.Delete(path);
            }

            throw;
        }
    }

    /// <summary>
    /// Accepts connections on a listening socket until <paramref name="cancellationToken"/> is cancelled or the
    /// server is disposed; the connections it accepted live on until the server is disposed. The caller keeps
    /// ownership of <paramref name="listener"/>.
    /// </summary>
    public async Task ServeAsync(Socket listener, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(listener);
        ThrowIfDisposed();
        Freeze();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
        while (!stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (SocketException e) when (IsTransient(e.SocketErrorCode))
            {
                Options.Logger.LogWarning(e, "ttrpc accept failed; retrying");
                continue;
            }

            if (!TryAuthorize(socket, out UnixPeerCredentials? peer, out string? refusal))
            {
                Options.Logger.LogWarning("ttrpc: refusing connection: {Reason}", refusal);
                socket.Dispose();
                continue;
            }

            StartConnection(new NetworkStream(socket, ownsSocket: true), peer);
        }
    }

    /// <summary>
    /// Serves one already connected socket (checking its peer credentials if it is a unix socket) until the
    /// connection closes, <paramref name="cancellationToken"/> is cancelled or the server is disposed.
    /// </summary>
    /// <exception cref="UnauthorizedAccessException">The peer is not the expected user; the socket is closed.</exception>
    public Task ServeConnectionAsync(Socket socket, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (!TryAuthorize(socket, out UnixPeerCredentials? peer, out string? refusal))
        {
            socket.Dispose();
            throw new UnauthorizedAccessException($"ttrpc: refusing connection: {refusal}");
        }

        return ServeConnectionAsync(new NetworkStream(socket, ownsSocket: true), peer, cancellationToken);
    }

    /// <summary>
    /// Serves one connected duplex stream (a virtio-serial port, a vsock stream...) until the connection closes,
    /// <paramref name="cancellationToken"/> is cancelled or the server is disposed. The server owns the stream.
    /// </summary>
    public Task ServeConnectionAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return ServeConnectionAsync(stream, null, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Freeze();
        await _shutdown.CancelAsync().ConfigureAwait(false);
        TtrpcServerConnection[] connections = [.. _connections.Keys];
        foreach (TtrpcServerConnection connection in connections)
        {
            connection.Close();
        }

        foreach (TtrpcServerConnection connection in connections)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    internal void OnConnectionClosed(TtrpcServerConnection connection) => _connections.TryRemove(connection, out _);

    internal bool TryResolve(
        ReadOnlySpan<byte> serviceUtf8,
        ReadOnlySpan<byte> methodUtf8,
        [NotNullWhen(true)] out TtrpcMethod? method,
        [NotNullWhen(false)] out string? error)
    {
        method = null;
        Span<char> name = stackalloc char[MaxStackNameLength];
        Dictionary<string, TtrpcMethod>? methods = null;
        bool found = serviceUtf8.Length <= MaxStackNameLength
            ? _services.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name[..Encoding.UTF8.GetChars(serviceUtf8, name)], out methods)
            : _services.TryGetValue(Encoding.UTF8.GetString(serviceUtf8), out methods);
        if (!found || methods is null)
        {
            error = $"service {Encoding.UTF8.GetString(serviceUtf8)}";
            return false;
        }

        found = methodUtf8.Length <= MaxStackNameLength
            ? methods.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name[..Encoding.UTF8.GetChars(methodUtf8, name)], out method)
            : methods.TryGetValue(Encoding.UTF8.GetString(methodUtf8), out method);
        if (!found || method is null)
        {
            error = $"method {Encoding.UTF8.GetString(methodUtf8)}";
            return false;
        }

        error = null;
        return true;
    }

    private bool IsFrozen => Volatile.Read(ref _frozen) != 0;

    private void Freeze() => Interlocked.Exchange(ref _frozen, 1);

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private async Task ServeConnectionAsync(Stream stream, UnixPeerCredentials? peer, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        Freeze();
        TtrpcServerConnection connection = StartConnection(stream, peer);
        await using (cancellationToken.UnsafeRegister(static state => ((TtrpcServerConnection)state!).Close(), connection).ConfigureAwait(false))
        {
            await connection.Completion.ConfigureAwait(false);
        }
    }

    private TtrpcServerConnection StartConnection(Stream stream, UnixPeerCredentials? peer)
    {
        var connection = new TtrpcServerConnection(this, stream, peer);
        _connections.TryAdd(connection, 0);
        connection.Start();

        // A dispose that ran between the check and the add would otherwise miss this connection.
        if (Volatile.Read(ref _disposed) != 0)
        {
            connection.Close();
        }

        return connection;
    }

    private bool TryAuthorize(Socket socket, out UnixPeerCredentials? peer, [NotNullWhen(false)] out string? refusal)
    {
        peer = null;
        refusal = null;
        if (socket.AddressFamily != AddressFamily.Unix)
        {
            return true;
        }

        if (!UnixPeerCredentials.TryGet(socket, out UnixPeerCredentials credentials))
        {
            if (Options.RequireSameUser)
            {
                refusal = "cannot read the peer credentials (SO_PEERCRED)";
                return false;
            }

            return true;
        }

        peer = credentials;
        if (!Options.RequireSameUser)
        {
            return true;
        }

        (uint userId, uint groupId) = _expectedPeer.Value;
        if (credentials.UserId != userId || credentials.GroupId != groupId)
        {
            refusal = $"peer pid {credentials.ProcessId} runs as uid {credentials.UserId} gid {credentials.GroupId}, expected uid {userId} gid {groupId}";
            return false;
        }

        return true;
    }

    private static bool IsTransient(SocketError error) =>
        error is SocketError.ConnectionAborted or SocketError.ConnectionReset or SocketError.Interrupted
            or SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable;
}
