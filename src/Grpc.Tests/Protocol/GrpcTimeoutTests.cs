using Sealpod.Grpc.Internal;

namespace Sealpod.Grpc.Tests.Protocol;

public sealed class GrpcTimeoutTests
{
    [Theory]
    [InlineData(15_000_000L, "1500m")]
    [InlineData(10_000_000L, "1S")]
    [InlineData(1_200_000_000L, "2M")]
    [InlineData(108_000_000_000L, "3H")]
    [InlineData(1L, "100n")]
    [InlineData(15L, "1500n")]
    [InlineData(10L, "1u")]
    [InlineData(1_234_567L, "123457u")]
    [InlineData(9_999_999L, "1000000u")]
    [InlineData(999_999_990_000L, "99999999m")]
    public void Encodes_with_at_most_eight_digits(long ticks, string expected) =>
        Assert.Equal(expected, GrpcTimeout.Encode(TimeSpan.FromTicks(ticks)));

    [Fact]
    public void Rounds_up_rather_than_shortening_the_deadline()
    {
        // 100,000 s and 100 ns: exact nanoseconds or milliseconds would need more than eight
        // digits, so the call goes out with whole seconds, rounded up.
        string encoded = GrpcTimeout.Encode(TimeSpan.FromTicks(1_000_000_000_001));

        Assert.Equal("100001S", encoded);
    }

    [Fact]
    public void Huge_timeouts_saturate()
    {
        string encoded = GrpcTimeout.Encode(TimeSpan.MaxValue);

        Assert.EndsWith("H", encoded, StringComparison.Ordinal);
        Assert.InRange(encoded.Length - 1, 1, 8);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    public void Rejects_non_positive_timeouts(long ticks) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => GrpcTimeout.Encode(TimeSpan.FromTicks(ticks)));
}
