using Sealpod.InitData.Hashing;

namespace Sealpod.Shim.Hosting;

/// <summary>
/// Where a shim group listens, computed as containerd's shim library does (runtime/v2/shim SocketAddress):
/// <c>unix://&lt;dir&gt;/&lt;hex sha256(filepath.Join(containerd address, namespace, group id))&gt;</c>, with
/// <c>/run/containerd/s</c> as the directory unless containerd 2.3+ names another (<c>socket_dir</c>).
/// A printed address must keep its <c>unix://</c> scheme: without it containerd dials an abstract socket.
/// </summary>
public static class ShimSocketAddress
{
    public const string DefaultDirectory = "/run/containerd/s";
    public const string Scheme = "unix://";

    /// <summary>sockaddr_un.sun_path holds 108 bytes including the terminating NUL.</summary>
    public const int MaxPathBytes = 107;

    public static string Compute(string containerdAddress, string ns, string groupId, string? socketDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(containerdAddress);
        ArgumentException.ThrowIfNullOrEmpty(ns);
        ArgumentException.ThrowIfNullOrEmpty(groupId);
        byte[] digest = Sha256.HashData(Encoding.UTF8.GetBytes(GoPath.Join(containerdAddress, ns, groupId)));
        string directory = GoPath.Clean(string.IsNullOrEmpty(socketDirectory) ? DefaultDirectory : socketDirectory);
        string address = $"{Scheme}{directory}/{Convert.ToHexStringLower(digest)}";
        if (Encoding.UTF8.GetByteCount(ToPath(address)) > MaxPathBytes)
        {
            throw new ArgumentException($"shim socket path {ToPath(address)} is longer than {MaxPathBytes} bytes", nameof(socketDirectory));
        }

        return address;
    }

    /// <summary>The filesystem path of a <c>unix://</c> address.</summary>
    public static string ToPath(string address) =>
        address.StartsWith(Scheme, StringComparison.Ordinal) ? address[Scheme.Length..] : address;
}
