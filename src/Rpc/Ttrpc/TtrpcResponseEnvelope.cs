using Sealpod.Rpc.Protobuf;

namespace Sealpod.Rpc.Ttrpc;

/// <summary>
/// The <c>ttrpc.Response</c> envelope, hand-coded for speed:
/// <c>Response { status=1 google.rpc.Status; payload=2 bytes }</c>,
/// <c>google.rpc.Status { code=1 int32; message=2 string; details=3 repeated google.protobuf.Any }</c>.
/// An absent status, or code 0, is success.
/// </summary>
public readonly ref struct TtrpcResponseEnvelope
{
    private const int StatusField = 1;
    private const int PayloadField = 2;
    private const int CodeField = 1;
    private const int MessageField = 2;
    private const int DetailsField = 3;

    private readonly ReadOnlySpan<byte> _source;
    private readonly Range _status;
    private readonly Range _message;

    private TtrpcResponseEnvelope(ReadOnlySpan<byte> source, Range status, StatusCode code, Range message, Range payload)
    {
        _source = source;
        _status = status;
        _message = message;
        StatusCode = code;
        PayloadRange = payload;
    }

    public StatusCode StatusCode { get; }

    public bool IsOk => StatusCode == StatusCode.OK;

    public ReadOnlySpan<byte> StatusMessageUtf8 => _source[_status][_message];

    public string StatusMessage => Encoding.UTF8.GetString(StatusMessageUtf8);

    public ReadOnlySpan<byte> Payload => _source[PayloadRange];

    public Range PayloadRange { get; }

    /// <summary>Parses an envelope; throws <see cref="InvalidDataException"/> naming what is malformed.</summary>
    public static TtrpcResponseEnvelope Parse(ReadOnlySpan<byte> source)
    {
        Range status = default, message = default, payload = default;
        StatusCode code = StatusCode.OK;
        var reader = new ProtoReader(source);
        while (reader.TryReadTag(out int field, out ProtoWireType wireType))
        {
            switch (field)
            {
                case StatusField:
                    status = reader.ReadLengthDelimitedRange(wireType, "status");
                    ReadStatus(source[status], out code, out message);
                    break;
                case PayloadField:
                    payload = reader.ReadLengthDelimitedRange(wireType, "payload");
                    break;
                default:
                    reader.SkipField(wireType);
                    break;
            }
        }

        return new TtrpcResponseEnvelope(source, status, code, message, payload);
    }

    /// <summary>The failure this response carries, with its details copied out; call only when not <see cref="IsOk"/>.</summary>
    public RpcException ToException()
    {
        List<ReadOnlyMemory<byte>>? details = null;
        var reader = new ProtoReader(_source[_status]);
        while (reader.TryReadTag(out int field, out ProtoWireType wireType))
        {
            if (field == DetailsField && wireType == ProtoWireType.LengthDelimited)
            {
                (details ??= []).Add(reader.ReadLengthDelimited().ToArray());
            }
            else
            {
                reader.SkipField(wireType);
            }
        }

        return new RpcException(StatusCode, StatusMessage) { Details = details ?? [] };
    }

    /// <summary>The exact encoded size of an envelope, for sizing the frame buffer before <see cref="Write"/>.</summary>
    public static int GetLength(StatusCode code, string? message, IReadOnlyList<ReadOnlyMemory<byte>>? details, int payloadLength)
    {
        int length = 0;
        int statusLength = GetStatusLength(code, message, details);
        if (statusLength > 0)
        {
            length += ProtoWriter.SizeOfLengthDelimited(StatusField, statusLength);
        }

        if (payloadLength > 0)
        {
            length += ProtoWriter.SizeOfLengthDelimited(PayloadField, payloadLength);
        }

        return length;
    }

    /// <summary>
    /// Writes an envelope and returns its size. A success is written without a status field, which
    /// every ttrpc client reads as OK.
    /// </summary>
    public static int Write(Span<byte> destination, StatusCode code, string? message, IReadOnlyList<ReadOnlyMemory<byte>>? details, in TtrpcPayload payload)
    {
        var writer = new ProtoWriter(destination);
        int statusLength = GetStatusLength(code, message, details);
        if (statusLength > 0)
        {
            writer.WriteLengthPrefix(StatusField, statusLength);
            if (code != StatusCode.OK)
            {
                writer.WriteInt64(CodeField, (int)code);
            }

            if (!string.IsNullOrEmpty(message))
            {
                writer.WriteString(MessageField, message);
            }

            if (details is not null)
            {
                foreach (ReadOnlyMemory<byte> detail in details)
                {
                    writer.WriteBytes(DetailsField, detail.Span);
                }
            }
        }

        if (payload.Length > 0)
        {
            payload.WriteTo(writer.WriteLengthDelimited(PayloadField, payload.Length));
        }

        return writer.Position;
    }

    private static int GetStatusLength(StatusCode code, string? message, IReadOnlyList<ReadOnlyMemory<byte>>? details)
    {
        int length = 0;
        if (code != StatusCode.OK)
        {
            length += ProtoWriter.SizeOfInt64(CodeField, (int)code);
        }

        if (!string.IsNullOrEmpty(message))
        {
            length += ProtoWriter.SizeOfString(MessageField, message);
        }

        if (details is not null)
        {
            foreach (ReadOnlyMemory<byte> detail in details)
            {
                length += ProtoWriter.SizeOfLengthDelimited(DetailsField, detail.Length);
            }
        }

        return length;
    }

    private static void ReadStatus(ReadOnlySpan<byte> source, out StatusCode code, out Range message)
    {
        code = StatusCode.OK;
        message = default;
        var reader = new ProtoReader(source);
        while (reader.TryReadTag(out int field, out ProtoWireType wireType))
        {
            switch (field)
            {
                case CodeField:
                    code = (StatusCode)(int)reader.ReadVarint(wireType, "status.code");
                    break;
                case MessageField:
                    message = reader.ReadLengthDelimitedRange(wireType, "status.message");
                    break;
                default:
                    reader.SkipField(wireType);
                    break;
            }
        }
    }
}
