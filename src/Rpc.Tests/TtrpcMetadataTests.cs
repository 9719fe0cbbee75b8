namespace Sealpod.Rpc.Tests;

public sealed class TtrpcMetadataTests
{
    [Fact]
    public void Keys_are_lower_cased_and_repeated_values_kept_in_order()
    {
        var metadata = new TtrpcMetadata().Add("X-Trace", "1").Add("other", "o").Add("x-trace", "2");

        Assert.Equal(
            [new("x-trace", "1"), new("other", "o"), new("x-trace", "2")],
            metadata.ToArray());
        Assert.Equal(["1", "2"], metadata.GetValues("X-TRACE"));
        Assert.Equal("1", metadata.GetValue("x-trace"));
        Assert.Null(metadata.GetValue("missing"));
        Assert.Empty(metadata.GetValues("missing"));
    }

    [Fact]
    public void Empty_keys_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new TtrpcMetadata().Add("", "v"));
    }
}
