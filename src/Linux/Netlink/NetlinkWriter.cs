namespace Sealpod.Linux.Netlink;

/// <summary>
/// Builds one netlink request: the 16-byte nlmsghdr, a fixed family header, then rtattrs, each padded to 4
/// bytes, nested ones closed by <see cref="EndNested"/> which writes their final length. Integers are in host
/// byte order, as the kernel reads them.
/// </summary>
internal sealed class NetlinkWriter
{
    private byte[] _buffer = new byte[256];
    private int _length;

    public NetlinkWriter(ushort type, ushort flags, uint sequence)
    {
        _length = Rtnl.HeaderSize;
        var header = _buffer.AsSpan();
        MemoryMarshal.Write(header[4..], in type);
        MemoryMarshal.Write(header[6..], in flags);
        MemoryMarshal.Write(header[8..], in sequence);
    }

    /// <summary>The finished message; the header's length is patched in here.</summary>
    public ReadOnlySpan<byte> Message
    {
        get
        {
            var length = (uint)_length;
            MemoryMarshal.Write(_buffer.AsSpan(), in length);
            return _buffer.AsSpan(0, _length);
        }
    }

    /// <summary>Room for a fixed header (ifinfomsg, tcmsg ...), zeroed, aligned to 4 bytes.</summary>
    public Span<byte> Reserve(int size)
    {
        var aligned = Rtnl.Align(size);
        Grow(aligned);
        var span = _buffer.AsSpan(_length, aligned);
        span.Clear();
        _length += aligned;
        return span[..size];
    }

    public void Attribute(ushort type, ReadOnlySpan<byte> value)
    {
        var header = Reserve(4);
        MemoryMarshal.Write(header, (ushort)(4 + value.Length));
        MemoryMarshal.Write(header[2..], in type);
        value.CopyTo(Reserve(value.Length));
    }

    public void Attribute(ushort type, uint value) => Attribute(type, MemoryMarshal.AsBytes(new ReadOnlySpan<uint>(in value)));

    /// <summary>A NUL-terminated string, as the kernel's NLA_STRING and NLA_NUL_STRING policies accept.</summary>
    public void Attribute(ushort type, string value)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(value) + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        Attribute(type, bytes);
    }

    /// <summary>Opens a nested attribute; returns where it starts, for <see cref="EndNested"/>.</summary>
    public int BeginNested(ushort type)
    {
        var start = _length;
        var header = Reserve(4);
        var flagged = (ushort)(type | Rtnl.NLA_F_NESTED);
        MemoryMarshal.Write(header[2..], in flagged);
        return start;
    }

    public void EndNested(int start)
    {
        var length = (ushort)(_length - start);
        MemoryMarshal.Write(_buffer.AsSpan(start), in length);
    }

    private void Grow(int size)
    {
        if (_length + size <= _buffer.Length)
        {
            return;
        }

        Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + size));
    }
}
