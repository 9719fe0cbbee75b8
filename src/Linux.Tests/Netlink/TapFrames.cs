using System.Buffers.Binary;

namespace Sealpod.Linux.Tests.Netlink;

/// <summary>Reads and writes frames on a tap descriptor the way QEMU's virtio-net backend does: a 10-byte virtio-net header first.</summary>
internal static unsafe class TapFrames
{
    public const int VirtioNetHeaderSize = 10;

    /// <summary>Reads frames until one satisfies <paramref name="wanted"/>, or null after the timeout.</summary>
    public static byte[]? ReadUntil(int fd, Func<byte[], bool> wanted, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var buffer = new byte[65536];
        while (DateTime.UtcNow < deadline)
        {
            var poll = new LibC.PollFd { Fd = fd, Events = LibC.POLLIN };
            if (LibC.Poll(&poll, 1, 100) <= 0)
            {
                continue;
            }

            nint length;
            fixed (byte* bytes = buffer)
            {
                length = LibC.Read(fd, bytes, (nuint)buffer.Length);
            }

            if (length > VirtioNetHeaderSize)
            {
                var frame = buffer.AsSpan(VirtioNetHeaderSize, (int)length - VirtioNetHeaderSize).ToArray();
                if (wanted(frame))
                {
                    return frame;
                }
            }
        }

        return null;
    }

    public static void Write(int fd, ReadOnlySpan<byte> frame)
    {
        var packet = new byte[VirtioNetHeaderSize + frame.Length];
        frame.CopyTo(packet.AsSpan(VirtioNetHeaderSize));
        fixed (byte* bytes = packet)
        {
            Assert.Equal(packet.Length, (int)LibC.Write(fd, bytes, (nuint)packet.Length));
        }
    }

    /// <summary>An Ethernet frame holding an IPv4 UDP datagram (UDP checksum 0: none, which IPv4 allows).</summary>
    public static byte[] Udp(byte[] destinationMac, byte[] sourceMac, IPAddress source, IPAddress destination, ushort sourcePort, ushort destinationPort, byte[] payload)
    {
        var frame = new byte[14 + 20 + 8 + payload.Length];
        destinationMac.CopyTo(frame, 0);
        sourceMac.CopyTo(frame, 6);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x0800);
        var ip = frame.AsSpan(14, 20);
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(20 + 8 + payload.Length));
        ip[8] = 64;
        ip[9] = 17;
        source.GetAddressBytes().CopyTo(ip[12..]);
        destination.GetAddressBytes().CopyTo(ip[16..]);
        uint sum = 0;
        for (var i = 0; i < 20; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(ip[i..]);
        }

        sum = (sum & 0xFFFF) + (sum >> 16);
        sum = (sum & 0xFFFF) + (sum >> 16);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], (ushort)~sum);
        var udp = frame.AsSpan(34, 8);
        BinaryPrimitives.WriteUInt16BigEndian(udp, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)(8 + payload.Length));
        payload.CopyTo(frame, 42);
        return frame;
    }
}
