using Microsoft.Extensions.Logging.Abstractions;

namespace Sealpod.Rpc.Ttrpc;

/// <summary>Settings of a <see cref="TtrpcServer"/>.</summary>
public sealed record TtrpcServerOptions
{
    /// <summary>
    /// Whether a unix-socket peer must run as the expected user and group (SO_PEERCRED), as Go shims require
    /// with <c>UnixSocketRequireSameUser</c>. Connections that fail the check are closed before any frame is
    /// read. Streams that are not unix sockets (virtio-serial, vsock) are never checked.
    /// </summary>
    public bool RequireSameUser { get; init; } = true;

    /// <summary>The user id a peer must have; null means this process's effective uid.</summary>
    public uint? ExpectedPeerUserId { get; init; }

    /// <summary>The group id a peer must have; null means this process's effective gid.</summary>
    public uint? ExpectedPeerGroupId { get; init; }

    /// <summary>The clock behind request deadlines; tests can substitute their own.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public ILogger Logger { get; init; } = NullLogger.Instance;
}
