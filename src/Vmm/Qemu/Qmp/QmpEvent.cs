namespace Sealpod.Vmm.Qemu.Qmp;

/// <summary>An asynchronous QMP event such as SHUTDOWN, STOP or DEVICE_DELETED.</summary>
/// <param name="Name">The event name, see <see cref="QmpEventNames"/>.</param>
/// <param name="Data">The event's <c>data</c> member, or an undefined element when it has none.</param>
/// <param name="Timestamp">QEMU's timestamp of the event.</param>
public sealed record QmpEvent(string Name, JsonElement Data, DateTimeOffset Timestamp)
{
    /// <summary>A string member of <see cref="Data"/>, or null (also when its bytes are not UTF-8 text).</summary>
    public string? GetDataString(string property)
    {
        if (Data.ValueKind != JsonValueKind.Object
            || !Data.TryGetProperty(property, out var value)
            || value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        // The JSON reader lets invalid UTF-8 through inside strings; decoding it throws. Found by fuzzing (target qmp).
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
