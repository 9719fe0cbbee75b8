using Sealpod.Rpc.Protobuf;

namespace Sealpod.Rpc.Ttrpc;

/// <summary>
/// The <c>ttrpc.Request</c> envelope, hand-coded for speed:
/// <c>Request { service=1 string; method=2 string; payload=3 bytes; timeout_nano=4 int64; metadata=5 repeated KeyValue }</c>,
/// <c>KeyValue { key=1 string; value=2 string }</c>.
/// A parsed envelope is a view over the bytes it was parsed from; nothing is copied until asked for.
/// </summary>
public readonly ref struct TtrpcRequestEnvelope
{
    private const int ServiceField = 1;
    private const int MethodField = 2;
    private const int PayloadField = 3;
    private const int TimeoutNanoField = 4;
    private const int MetadataField = 5;
    private const int KeyField = 1;
    private const int ValueField = 2;

    private readonly ReadOnlySpan<byte> _source;

    private TtrpcRequestEnvelope(ReadOnlySpan<byte> source, Range service, Range method, Range payload, long timeoutNano, int metadataCount)
    {
        _source = source;
        ServiceRange = service;
        MethodRange = method;
        PayloadRange = payload;
        TimeoutNano = timeoutNano;
        MetadataCount = metadataCount;
    }

    public ReadOnlySpan<byte> ServiceUtf8 => _source[ServiceRange];

    public ReadOnlySpan<byte> MethodUtf8 => _source[MethodRange];

    public ReadOnlySpan<byte> Payload => _source[PayloadRange];

    /// <summary>Where the payload sits in the parsed bytes, so a caller holding them as memory can slice it.</summary>
    public Range PayloadRange { get; }

    public Range ServiceRange { get; }

    public Range MethodRange { get; }

    /// <summary>The call's timeout in nanoseconds; 0 means none.</summary>
    public long TimeoutNano { get; }

    public int MetadataCount { get; }

    public string Service => Encoding.UTF8.GetString(ServiceUtf8);

    public string Method => Encoding.UTF8.GetString(MethodUtf8);

    /// <summary>Parses an envelope; throws <see cref="InvalidDataException"/> naming what is malformed.</summary>
    public static TtrpcRequestEnvelope Parse(ReadOnlySpan<byte> source)
    {
        Range service = default, method = default, payload = default;
        long timeoutNano = 0;
        int metadataCount = 0;
        var reader = new ProtoReader(source);
        while (reader.TryReadTag(out int field, out ProtoWireType wireType))
        {
            switch (field)
            {
                case ServiceField:
                    service = reader.ReadLengthDelimitedRange(wireType, "service");
                    break;
                case MethodField:
                    method = reader.ReadLengthDelimitedRange(wireType, "method");
                    break;
                case PayloadField:
                    payload = reader.ReadLengthDelimitedRange(wireType, "payload");
                    break;
                case TimeoutNanoField:
                    timeoutNano = (long)reader.ReadVarint(wireType, "timeout_nano");
                    break;
                case MetadataField:
                    ReadKeyValue(reader.ReadLengthDelimited(wireType, "metadata"), out _, out _);
                    metadataCount++;
                    break;
                default:
                    reader.SkipField(wireType);
                    break;
            }
        }

        return new TtrpcRequestEnvelope(source, service, method, payload, timeoutNano, metadataCount);
    }

    /// <summary>Decodes the metadata entries (allocates; call only when <see cref="MetadataCount"/> is not 0).</summary>
    public TtrpcMetadata ReadMetadata()
    {
        var metadata = new TtrpcMetadata();
        if (MetadataCount == 0)
        {
            return metadata;
        }

        var reader = new ProtoReader(_source);
        while (reader.TryReadTag(out int field, out ProtoWireType wireType))
        {
            if (field == MetadataField && wireType == ProtoWireType.LengthDelimited)
            {
                ReadKeyValue(reader.ReadLengthDelimited(), out ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value);
                metadata.AddReceived(Encoding.UTF8.GetString(key), Encoding.UTF8.GetString(value));
            }
            else
            {
                reader.SkipField(wireType);
            }
        }

        return metadata;
    }

    /// <summary>The exact encoded size of an envelope, for sizing the frame buffer before <see cref="Write"/>.</summary>
    public static int GetLength(string service, string method, int payloadLength, long timeoutNano, TtrpcMetadata? metadata)
    {
        int length = 0;
        if (service.Length > 0)
        {
            length += ProtoWriter.SizeOfString(ServiceField, service);
        }

        if (method.Length > 0)
        {
            length += ProtoWriter.SizeOfString(MethodField, method);
        }

        if (payloadLength > 0)
        {
            length += ProtoWriter.SizeOfLengthDelimited(PayloadField, payloadLength);
        }

        if (timeoutNano != 0)
        {
            length += ProtoWriter.SizeOfInt64(TimeoutNanoField, timeoutNano);
        }

        if (metadata is not null)
        {
            foreach (KeyValuePair<string, string> entry in metadata)
            {
                length += ProtoWriter.SizeOfLengthDelimited(MetadataField, KeyValueLength(entry));
            }
        }

        return length;
    }

    /// <summary>Writes an envelope (fields in number order, defaults omitted, as protobuf encoders do) and returns its size.</summary>
    public static int Write(Span<byte> destination, string service, string method, in TtrpcPayload payload, long timeoutNano, TtrpcMetadata? metadata)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(method);
        var writer = new ProtoWriter(destination);
        if (service.Length > 0)
        {
            writer.WriteString(ServiceField, service);
        }

        if (method.Length > 0)
        {
            writer.WriteString(MethodField, method);
        }

        if (payload.Length > 0)
        {
            payload.WriteTo(writer.WriteLengthDelimited(PayloadField, payload.Length));
        }

        if (timeoutNano != 0)
        {
            writer.WriteInt64(TimeoutNanoField, timeoutNano);
        }

        if (metadata is not null)
        {
            foreach (KeyValuePair<string, string> entry in metadata)
            {
                writer.WriteLengthPrefix(MetadataField, KeyValueLength(entry));
                writer.WriteString(KeyField, entry.Key);
                if (entry.Value.Length > 0)
                {
                    writer.WriteString(ValueField, entry.Value);
                }
            }
        }

        return writer.Position;
    }

    private static int KeyValueLength(KeyValuePair<string, string> entry) =>
        ProtoWriter.SizeOfString(KeyField, entry.Key) +
        (entry.Value.Length > 0 ? ProtoWriter.SizeOfString(ValueField, entry.Value) : 0);

    private static void ReadKeyValue(ReadOnlySpan<byte> source, out ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value)
    {
        key = default;
        value = default;
        var reader = new ProtoReader(source);
        while (reader.TryReadTag(out int field, out ProtoWireType wireType))
        {
            switch (field)
            {
                case KeyField:
                    key = reader.ReadLengthDelimited(wireType, "metadata.key");
                    break;
                case ValueField:
                    value = reader.ReadLengthDelimited(wireType, "metadata.value");
                    break;
                default:
                    reader.SkipField(wireType);
                    break;
            }
        }
    }
}
