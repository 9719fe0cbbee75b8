using Sealpod.Grpc.Internal;

namespace Sealpod.Grpc.Tests.Protocol;

public sealed class PercentEncodingTests
{
    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("a%20b", "a b")]
    [InlineData("h%C3%A9llo", "héllo")]
    [InlineData("%E2%9C%93 done", "✓ done")]
    [InlineData("100%25", "100%")]
    [InlineData("100%", "100%")]
    [InlineData("%zz%4", "%zz%4")]
    [InlineData("%e5%AE%b9", "容")]
    [InlineData("raw ✓ kept", "raw ✓ kept")]
    public void Decodes_grpc_message(string wire, string expected) =>
        Assert.Equal(expected, PercentEncoding.Decode(wire));
}
