namespace Sealpod.Agent;

/// <summary>The guest's uptime from /proc/uptime, the clock the kernel's and /init's boot timestamps use.</summary>
internal static class GuestUptime
{
    /// <summary>Milliseconds since boot, or null where /proc/uptime cannot be read or parsed.</summary>
    public static double? Milliseconds()
    {
        var uptime = ReadOrNull("/proc/uptime")?.Split(' ')[0];
        return double.TryParse(uptime, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) ? seconds * 1000 : null;
    }

    /// <summary>Milliseconds since this process started, from /proc/self/stat's start time (clock ticks after boot, USER_HZ = 100).</summary>
    public static double? SinceProcessStart()
    {
        var stat = ReadOrNull("/proc/self/stat");
        var uptime = Milliseconds();
        if (stat is null || uptime is null)
        {
            return null;
        }

        // Fields after the parenthesised command name: state is field 3, starttime field 22.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return fields.Length > 19 && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            ? uptime.Value - (ticks * 10.0)
            : null;
    }

    private static string? ReadOrNull(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
