namespace Sealpod.Linux.Netlink;

/// <summary>A run of rtattrs; enumerating yields each one's type (flag bits removed) and value.</summary>
internal readonly ref struct NetlinkAttributes
{
    private readonly ReadOnlySpan<byte> _data;

    public NetlinkAttributes(ReadOnlySpan<byte> data) => _data = data;

    public Enumerator GetEnumerator() => new(_data);

    /// <summary>The value of the first attribute of <paramref name="type"/>, or an empty span and false.</summary>
    public bool TryFind(ushort type, out ReadOnlySpan<byte> value)
    {
        foreach (var attribute in this)
        {
            if (attribute.Type == type)
            {
                value = attribute.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    public ref struct Enumerator
    {
        private ReadOnlySpan<byte> _rest;

        public Enumerator(ReadOnlySpan<byte> data)
        {
            _rest = data;
            Current = default;
        }

        public NetlinkAttribute Current { get; private set; }

        public bool MoveNext()
        {
            if (_rest.Length < 4)
            {
                return false;
            }

            var length = MemoryMarshal.Read<ushort>(_rest);
            if (length < 4 || length > _rest.Length)
            {
                throw new InvalidDataException($"netlink: attribute length {length} does not fit the {_rest.Length} bytes left");
            }

            Current = new NetlinkAttribute((ushort)(MemoryMarshal.Read<ushort>(_rest[2..]) & Rtnl.NLA_TYPE_MASK), _rest[4..length]);
            _rest = _rest[Math.Min(Rtnl.Align(length), _rest.Length)..];
            return true;
        }
    }
}

/// <summary>One rtattr: its type and value, with readers for the value shapes rtnetlink uses.</summary>
internal readonly ref struct NetlinkAttribute
{
    public NetlinkAttribute(ushort type, ReadOnlySpan<byte> value)
    {
        Type = type;
        Value = value;
    }

    public ushort Type { get; }

    public ReadOnlySpan<byte> Value { get; }

    public NetlinkAttributes Nested => new(Value);

    public static uint ToUInt32(ReadOnlySpan<byte> value, string what) =>
        value.Length >= 4 ? MemoryMarshal.Read<uint>(value) : throw new InvalidDataException($"netlink: {what} has {value.Length} bytes, expected 4");

    /// <summary>A string attribute without its terminating NUL.</summary>
    public static string ToText(ReadOnlySpan<byte> value)
    {
        var end = value.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? value : value[..end]);
    }

    public static IPAddress ToAddress(ReadOnlySpan<byte> value, string what) =>
        value.Length is 4 or 16 ? new IPAddress(value) : throw new InvalidDataException($"netlink: {what} has {value.Length} bytes, expected 4 or 16");

    public static PhysicalAddress ToHardwareAddress(ReadOnlySpan<byte> value) => new(value.ToArray());
}
