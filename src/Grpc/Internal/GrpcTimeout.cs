using System.Globalization;

namespace Sealpod.Grpc.Internal;

/// <summary>
/// Renders the grpc-timeout header: at most eight digits followed by a unit
/// (H hours, M minutes, S seconds, m milliseconds, u microseconds, n nanoseconds).
/// </summary>
internal static class GrpcTimeout
{
    private const long MaxValue = 99_999_999;
    private const long NanosecondsPerTick = 100;

    // Largest unit first: an exact coarse value ("1500m") reads better than a fine one.
    private static readonly (char Unit, long Nanoseconds)[] Units =
    [
        ('H', 3_600_000_000_000),
        ('M', 60_000_000_000),
        ('S', 1_000_000_000),
        ('m', 1_000_000),
        ('u', 1_000),
        ('n', 1),
    ];

    /// <summary>Encodes a positive timeout, rounding up when no unit holds it exactly.</summary>
    public static string Encode(TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);

        // TimeSpan.MaxValue is ~29,000 years: the product saturates instead of overflowing.
        long nanoseconds = timeout.Ticks > long.MaxValue / NanosecondsPerTick
            ? long.MaxValue
            : timeout.Ticks * NanosecondsPerTick;

        foreach ((char unit, long size) in Units)
        {
            if (nanoseconds % size == 0 && nanoseconds / size <= MaxValue)
            {
                return Format(nanoseconds / size, unit);
            }
        }

        // No exact fit: take the finest unit that fits, rounded up so the server never
        // sees a deadline earlier than ours.
        for (int i = Units.Length - 1; i >= 0; i--)
        {
            (char unit, long size) = Units[i];
            long value = (nanoseconds / size) + (nanoseconds % size == 0 ? 0 : 1);
            if (value <= MaxValue)
            {
                return Format(value, unit);
            }
        }

        return Format(MaxValue, 'H');
    }

    private static string Format(long value, char unit) =>
        string.Create(CultureInfo.InvariantCulture, $"{value}{unit}");
}
