namespace Sealpod.Shim.Hosting;

/// <summary>The command line containerd gives a shim (containerd's shim library flags), parsed.</summary>
public sealed record ShimFlags
{
    public string Namespace { get; init; } = string.Empty;

    /// <summary>containerd's gRPC socket (<c>-address</c>); part of the shim socket's hash.</summary>
    public string Address { get; init; } = string.Empty;

    public string PublishBinary { get; init; } = string.Empty;

    public string Id { get; init; } = string.Empty;

    /// <summary><c>-bundle</c>; containerd passes it to <c>delete</c> (and the working directory is the bundle).</summary>
    public string Bundle { get; init; } = string.Empty;

    public bool Debug { get; init; }

    /// <summary><c>-socket</c>: the socket the serving shim listens on (ours: passed to the daemon).</summary>
    public string Socket { get; init; } = string.Empty;

    /// <summary><c>-v</c>: print the version and exit.</summary>
    public bool Version { get; init; }

    /// <summary><c>-info</c> (containerd 2.x): print RuntimeInfo and exit.</summary>
    public bool Info { get; init; }

    /// <summary>
    /// <c>-listen-fd</c> (Sealpod's own, daemon only): the inherited descriptor of the socket <c>start</c>
    /// already bound, so containerd can connect the moment <c>start</c> prints the address.
    /// </summary>
    public int? ListenFd { get; init; }

    /// <summary>The positional action: <c>start</c>, <c>delete</c>, or empty to serve.</summary>
    public string Action { get; init; } = string.Empty;

    /// <summary>Flags the parser did not know (ignored, kept for the log).</summary>
    public IReadOnlyList<string> Ignored { get; init; } = [];
}
