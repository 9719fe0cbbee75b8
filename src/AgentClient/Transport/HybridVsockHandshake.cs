using System.Text;

namespace Sealpod.AgentClient.Transport;

/// <summary>
/// The hybrid-vsock preamble of Firecracker and Cloud Hypervisor: the host writes <c>CONNECT port\n</c>
/// on the unix socket and the VMM answers <c>OK hostport\n</c> once the guest accepted; after that
/// the socket carries the guest stream unchanged.
/// </summary>
public static class HybridVsockHandshake
{
    private const int MaxReplyLength = 64;

    /// <exception cref="IOException">The VMM closed the socket or answered something other than OK.</exception>
    public static async Task PerformAsync(Stream stream, uint port, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] request = Encoding.ASCII.GetBytes($"CONNECT {port}\n");
        await stream.WriteAsync(request, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);

        // Read byte by byte: whatever follows the newline already belongs to the guest stream.
        var reply = new byte[MaxReplyLength];
        int length = 0;
        var one = new byte[1];
        while (true)
        {
            int read = await stream.ReadAsync(one, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException($"hybrid vsock: the VMM closed the connection before answering CONNECT {port} (nothing listens on guest port {port} yet)");
            }

            if (one[0] == (byte)'\n')
            {
                break;
            }

            if (length == MaxReplyLength)
            {
                throw new IOException($"hybrid vsock: reply to CONNECT {port} longer than {MaxReplyLength} bytes");
            }

            reply[length++] = one[0];
        }

        string line = Encoding.ASCII.GetString(reply, 0, length).TrimEnd('\r');
        if (!line.StartsWith("OK", StringComparison.Ordinal))
        {
            throw new IOException($"hybrid vsock: expected \"OK <port>\" in reply to CONNECT {port}, got \"{line}\"");
        }
    }
}
