namespace Sealpod.Grpc.Tests.Protocol;

public sealed class GrpcMetadataTests
{
    [Theory]
    [InlineData("X-Upper")]
    [InlineData("with space")]
    [InlineData("grpc-custom")]
    [InlineData("content-type")]
    [InlineData("te")]
    [InlineData(":path")]
    [InlineData("")]
    public void Rejects_keys_the_protocol_forbids(string key) =>
        Assert.ThrowsAny<ArgumentException>(() => new GrpcMetadata { { key, "v" } });

    [Fact]
    public void Binary_values_need_bin_keys_and_text_values_need_other_keys()
    {
        Assert.Throws<ArgumentException>(() => new GrpcMetadata { { "x-bin", "text" } });
        Assert.Throws<ArgumentException>(() => new GrpcMetadata { { "x-data", new byte[] { 1 } } });
    }

    [Fact]
    public void Text_values_must_be_printable_ascii() =>
        Assert.Throws<ArgumentException>(() => new GrpcMetadata { { "x-name", "héllo" } });

    [Fact]
    public void Binary_values_travel_as_unpadded_base64()
    {
        var metadata = new GrpcMetadata { { "x-bin", new byte[] { 0xFB, 0xEF } } };

        GrpcMetadataEntry entry = Assert.Single(metadata);
        Assert.True(entry.IsBinary);
        Assert.Equal("++8", entry.Value);
        Assert.Equal(new byte[] { 0xFB, 0xEF }, entry.Bytes.ToArray());
    }

    [Fact]
    public void Binary_values_are_copied_on_add()
    {
        byte[] value = [1, 2, 3];
        var metadata = new GrpcMetadata { { "x-bin", value } };

        value[0] = 9;

        Assert.Equal(new byte[] { 1, 2, 3 }, metadata.GetBytes("x-bin")!.Value.ToArray());
    }

    [Theory]
    [InlineData("AP8QgH8", new byte[] { 0x00, 0xFF, 0x10, 0x80, 0x7F })]
    [InlineData("AP8QgH8=", new byte[] { 0x00, 0xFF, 0x10, 0x80, 0x7F })]
    [InlineData("++8", new byte[] { 0xFB, 0xEF })]
    [InlineData("", new byte[0])]
    public void Received_base64_may_omit_padding(string wire, byte[] expected) =>
        Assert.Equal(expected, GrpcMetadata.DecodeBase64(wire));

    [Fact]
    public void Lookups_return_first_value_and_all_values_in_order()
    {
        var metadata = new GrpcMetadata { { "k", "1" }, { "other", "x" }, { "k", "2" } };

        Assert.Equal("1", metadata.GetValue("k"));
        Assert.Equal(["1", "2"], metadata.GetAll("k").Select(e => e.Value));
        Assert.Null(metadata.GetValue("absent"));
        Assert.Equal(3, metadata.Count);
    }
}
