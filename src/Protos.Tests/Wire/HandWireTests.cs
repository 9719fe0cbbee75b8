namespace Sealpod.Protos.Tests.Wire;

/// <summary>The golden-byte writer itself, checked against the protobuf encoding guide's examples.</summary>
public sealed class HandWireTests
{
    [Theory]
    [InlineData(1, 150, "089601")]
    [InlineData(1, 0, "0800")]
    [InlineData(3, -1, "18ffffffffffffffffff01")]
    [InlineData(16, 1, "800101")]
    public void Varint_fields(int field, long value, string hex) =>
        Assert.Equal(hex, Convert.ToHexString(HandWire.Varint(field, value)).ToLowerInvariant());

    [Fact]
    public void String_field() =>
        Assert.Equal("120774657374696e67", Convert.ToHexString(HandWire.Str(2, "testing")).ToLowerInvariant());

    [Fact]
    public void Packed_field() =>
        Assert.Equal("3206038e029ea705", Convert.ToHexString(HandWire.Packed(6, 3, 270, 86942)).ToLowerInvariant());
}
