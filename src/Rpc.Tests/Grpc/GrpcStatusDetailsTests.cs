namespace Sealpod.Rpc.Tests.Grpc;

public sealed class GrpcStatusDetailsTests
{
    [Fact]
    public void Reads_each_detail_as_a_serialized_Any()
    {
        var first = Any.Pack(new StringValue { Value = "one" });
        var second = Any.Pack(new UInt32Value { Value = 2 });

        IReadOnlyList<ReadOnlyMemory<byte>> details = GrpcStatusDetails.Parse(Status(9, "m", first, second));

        Assert.Equal([first.ToByteArray(), second.ToByteArray()], details.Select(d => d.ToArray()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0x1A, 0x05, 0x01 })]
    public void Absent_or_garbled_details_are_empty(byte[]? trailer) =>
        Assert.Empty(GrpcStatusDetails.Parse(trailer));

    // google.rpc.Status written field by field (code = 1, message = 2, details = 3), so that the
    // reader is not checked against a schema it shares.
    private static byte[] Status(int code, string message, params Any[] details)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        output.WriteTag(1, WireFormat.WireType.Varint);
        output.WriteInt32(code);
        output.WriteTag(2, WireFormat.WireType.LengthDelimited);
        output.WriteString(message);
        foreach (Any detail in details)
        {
            output.WriteTag(3, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(detail.ToByteString());
        }

        output.Flush();
        return buffer.ToArray();
    }
}
