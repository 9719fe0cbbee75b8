using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Sealpod.Grpc.Internal;
using Sealpod.Protos.GoogleRpc;

namespace Sealpod.Grpc.Tests.Protocol;

public sealed class StatusDetailsTests
{
    [Fact]
    public void Reads_each_detail_as_a_serialized_Any()
    {
        var first = Any.Pack(new StringValue { Value = "one" });
        var second = Any.Pack(new UInt32Value { Value = 2 });
        var status = new Status { Code = 9, Message = "m", Details = { first, second } };

        IReadOnlyList<ReadOnlyMemory<byte>> details = StatusDetails.Parse(Convert.ToBase64String(status.ToByteArray()).TrimEnd('='));

        Assert.Equal([first.ToByteArray(), second.ToByteArray()], details.Select(d => d.ToArray()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("!!!")]
    [InlineData("/w")]
    public void Absent_or_garbled_details_are_empty(string? header) =>
        Assert.Empty(StatusDetails.Parse(header));
}
