namespace Sealpod.Rpc.Grpc;

/// <summary>
/// Reads the details of the grpc-status-details-bin trailer, a serialized google.rpc.Status
/// (code = 1, message = 2, details = 3 repeated google.protobuf.Any).
/// </summary>
internal static class GrpcStatusDetails
{
    public const string TrailerName = "grpc-status-details-bin";

    private const int DetailsField = 3;

    /// <summary>Each detail as its serialized Any; empty when the trailer is absent or unreadable.</summary>
    public static IReadOnlyList<ReadOnlyMemory<byte>> Parse(byte[]? status)
    {
        if (status is null || status.Length == 0)
        {
            return [];
        }

        try
        {
            var input = new CodedInputStream(status);
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
        catch (InvalidProtocolBufferException)
        {
            // Details are advisory; a garbled trailer must not hide the status itself.
            return [];
        }
    }
}
