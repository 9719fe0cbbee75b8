namespace Sealpod.Toml;

/// <summary>
/// A TOML date-time of any of the four kinds. Fractional seconds are kept to the nanosecond as written
/// (TOML allows more digits than <see cref="DateTime"/> ticks hold), so <see cref="Nanosecond"/> carries them.
/// </summary>
public sealed class TomlDateTime : TomlValue
{
    public TomlDateTime(
        TomlDateTimeKind kind,
        DateOnly date,
        TimeOnly time,
        int nanosecond,
        TimeSpan? offset,
        TomlPosition position)
        : base(position)
    {
        Kind = kind;
        Date = date;
        Time = time;
        Nanosecond = nanosecond;
        Offset = offset;
    }

    public TomlDateTimeKind Kind { get; }

    /// <summary>The date part (unset for <see cref="TomlDateTimeKind.LocalTime"/>).</summary>
    public DateOnly Date { get; }

    /// <summary>The time part to the whole second (unset for <see cref="TomlDateTimeKind.LocalDate"/>).</summary>
    public TimeOnly Time { get; }

    /// <summary>Fraction of the second, 0..999,999,999.</summary>
    public int Nanosecond { get; }

    /// <summary>UTC offset, only for <see cref="TomlDateTimeKind.OffsetDateTime"/>.</summary>
    public TimeSpan? Offset { get; }

    public override string TypeName => Kind switch
    {
        TomlDateTimeKind.OffsetDateTime => "datetime",
        TomlDateTimeKind.LocalDateTime => "datetime-local",
        TomlDateTimeKind.LocalDate => "date-local",
        _ => "time-local",
    };
}
