using Google.Protobuf;

namespace Sealpod.Grpc.Internal;

/// <summary>
/// Reads the details of grpc-status-details-bin, a serialized google.rpc.Status
/// (code = 1, message = 2, details = 3 repeated google.protobuf.Any).
/// </summary>
internal static class StatusDetails
{
    private const int DetailsField = 3;

    /// <summary>Each detail as its serialized Any; empty when the header is absent or unreadable.</summary>
    public static IReadOnlyList<ReadOnlyMemory<byte>> Parse(string? headerValue)
    {
        if (string.IsNullOrEmpty(headerValue))
        {
            return [];
        }

        try
        {
            var input = new CodedInputStream(GrpcMetadata.DecodeBase64(headerValue));
            var details = new List<ReadOnlyMemory<byte>>();
            for (uint tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
            {
                if (WireFormat.GetTagFieldNumber(tag) == DetailsField
                    && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
                {
                    details.Add(input.ReadBytes().Memory);
                }
                else
                {
                    input.SkipLastField();
                }
            }

            return details;
        }
        catch (Exception e) when (e is FormatException or InvalidProtocolBufferException)
        {
            // Details are advisory; a garbled header must not hide the status itself.
            return [];
        }
    }
}
