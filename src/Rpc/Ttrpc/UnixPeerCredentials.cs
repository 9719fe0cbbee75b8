using System.Buffers.Binary;
using Sealpod.Linux.Native;

namespace Sealpod.Rpc.Ttrpc;

/// <summary>
/// The credentials the kernel recorded for the peer of a unix socket when it connected (SO_PEERCRED),
/// which a peer cannot forge.
/// </summary>
public readonly record struct UnixPeerCredentials(int ProcessId, uint UserId, uint GroupId)
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    /// <summary>Reads SO_PEERCRED of a connected unix socket; false for other sockets or where it is unsupported.</summary>
    public static bool TryGet(Socket socket, out UnixPeerCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(socket);
        credentials = default;
        if (socket.AddressFamily != AddressFamily.Unix || !OperatingSystem.IsLinux())
        {
            return false;
        }

        // struct ucred { pid_t pid; uid_t uid; gid_t gid; }, host byte order.
        Span<byte> ucred = stackalloc byte[12];
        int length = socket.GetRawSocketOption(SolSocket, SoPeerCred, ucred);
        if (length < ucred.Length)
        {
            return false;
        }

        credentials = new UnixPeerCredentials(
            BinaryPrimitives.ReadInt32LittleEndian(ucred),
            BinaryPrimitives.ReadUInt32LittleEndian(ucred[4..]),
            BinaryPrimitives.ReadUInt32LittleEndian(ucred[8..]));
        if (!BitConverter.IsLittleEndian)
        {
            credentials = new UnixPeerCredentials(
                BinaryPrimitives.ReverseEndianness(credentials.ProcessId),
                BinaryPrimitives.ReverseEndianness(credentials.UserId),
                BinaryPrimitives.ReverseEndianness(credentials.GroupId));
        }

        return true;
    }

    /// <summary>The effective user and group of this process, what <c>UnixSocketRequireSameUser</c> compares against.</summary>
    public static (uint UserId, uint GroupId) CurrentEffectiveIds()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("Peer credentials are only supported on Linux.");
        }

        return (LibC.GetEffectiveUserId(), LibC.GetEffectiveGroupId());
    }
}
