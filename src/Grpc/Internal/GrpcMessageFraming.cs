using System.Buffers;
using System.Buffers.Binary;
using Google.Protobuf;
using Sealpod.Rpc;

namespace Sealpod.Grpc.Internal;

/// <summary>
/// The length-prefixed message framing of gRPC's HTTP/2 bodies:
/// <code>
/// +-----------------+--------------------------+-----------------+
/// | compressed (u8) | length (u32, big-endian) | message bytes   |
/// +-----------------+--------------------------+-----------------+
/// </code>
/// </summary>
internal static class GrpcMessageFraming
{
    public const int PrefixLength = 5;

    /// <summary>Serializes <paramref name="message"/> behind an uncompressed prefix.</summary>
    public static byte[] Frame(IMessage message, int maxSize, string method)
    {
        int size = message.CalculateSize();
        if (size > maxSize)
        {
            throw new RpcException(
                StatusCode.ResourceExhausted,
                $"{method}: request of {size} bytes exceeds the {maxSize}-byte send limit.");
        }

        byte[] frame = new byte[PrefixLength + size];
        frame[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1, 4), (uint)size);
        message.WriteTo(frame.AsSpan(PrefixLength));
        return frame;
    }

    /// <summary>
    /// Reads the body of a unary response: exactly one message, or none when the server
    /// failed the call. The returned buffer is rented; the caller returns it.
    /// </summary>
    public static async Task<RentedMessage?> ReadSingleAsync(
        Stream body, int maxSize, string method, CancellationToken cancellationToken)
    {
        byte[] prefix = new byte[PrefixLength];
        int prefixRead = await body.ReadAtLeastAsync(prefix, PrefixLength, throwOnEndOfStream: false, cancellationToken)
            .ConfigureAwait(false);
        if (prefixRead == 0)
        {
            return null;
        }

        if (prefixRead < PrefixLength)
        {
            throw new RpcException(StatusCode.Internal, $"{method}: response ended inside a message prefix.");
        }

        if (prefix[0] != 0)
        {
            // We never offer grpc-accept-encoding, so a compressed message breaks the protocol.
            throw new RpcException(StatusCode.Internal, $"{method}: server sent a compressed message although none was negotiated.");
        }

        uint length = BinaryPrimitives.ReadUInt32BigEndian(prefix.AsSpan(1));
        if (length > (uint)maxSize)
        {
            throw new RpcException(
                StatusCode.ResourceExhausted,
                $"{method}: response message of {length} bytes exceeds the {maxSize}-byte receive limit.");
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent((int)length);
        try
        {
            int read = await body.ReadAtLeastAsync(buffer.AsMemory(0, (int)length), (int)length, throwOnEndOfStream: false, cancellationToken)
                .ConfigureAwait(false);
            if (read < length)
            {
                throw new RpcException(StatusCode.Internal, $"{method}: response ended after {read} of {length} message bytes.");
            }

            if (await body.ReadAsync(prefix.AsMemory(0, 1), cancellationToken).ConfigureAwait(false) != 0)
            {
                throw new RpcException(StatusCode.Internal, $"{method}: unary response carried more than one message.");
            }

            return new RentedMessage(buffer, (int)length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }
}
