namespace Sealpod.Toml;

/// <summary>The four TOML date-time flavours.</summary>
public enum TomlDateTimeKind
{
    /// <summary>Offset date-time (RFC 3339 with Z or ±hh:mm): toml-test "datetime".</summary>
    OffsetDateTime,

    /// <summary>Local date-time: toml-test "datetime-local".</summary>
    LocalDateTime,

    /// <summary>Local date: toml-test "date-local".</summary>
    LocalDate,

    /// <summary>Local time: toml-test "time-local".</summary>
    LocalTime,
}
