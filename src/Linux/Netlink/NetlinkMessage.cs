namespace Sealpod.Linux.Netlink;

/// <summary>One netlink message inside a received datagram: the header's fields and the payload after it.</summary>
internal readonly ref struct NetlinkMessage(ushort type, ushort flags, uint sequence, ReadOnlySpan<byte> payload)
{
    public ushort Type { get; } = type;

    public ushort Flags { get; } = flags;

    public uint Sequence { get; } = sequence;

    public ReadOnlySpan<byte> Payload { get; } = payload;

    /// <summary>The rtattrs after a family header of <paramref name="fixedSize"/> bytes.</summary>
    public NetlinkAttributes Attributes(int fixedSize) =>
        new(Payload.Length >= Rtnl.Align(fixedSize) ? Payload[Rtnl.Align(fixedSize)..] : default);

    /// <summary>The messages packed in one datagram, in order; a length that runs past the end is an error.</summary>
    public static Enumerator Split(ReadOnlySpan<byte> datagram) => new(datagram);

    public ref struct Enumerator
    {
        private ReadOnlySpan<byte> _rest;

        public Enumerator(ReadOnlySpan<byte> datagram)
        {
            _rest = datagram;
            Current = default;
        }

        public NetlinkMessage Current { get; private set; }

        public readonly Enumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_rest.Length < Rtnl.HeaderSize)
            {
                return _rest.Length == 0 ? false : throw new InvalidDataException($"netlink: {_rest.Length} trailing bytes are shorter than a message header");
            }

            var length = MemoryMarshal.Read<uint>(_rest);
            if (length < Rtnl.HeaderSize || length > _rest.Length)
            {
                throw new InvalidDataException($"netlink: message length {length} does not fit the {_rest.Length} bytes left in the datagram");
            }

            Current = new NetlinkMessage(
                MemoryMarshal.Read<ushort>(_rest[4..]),
                MemoryMarshal.Read<ushort>(_rest[6..]),
                MemoryMarshal.Read<uint>(_rest[8..]),
                _rest[Rtnl.HeaderSize..(int)length]);
            _rest = _rest[Math.Min(Rtnl.Align((int)length), _rest.Length)..];
            return true;
        }
    }
}
