namespace Sealpod.Linux.Native;

/// <summary>Identity and system-wide settings: the effective ids, the clock, the host name, power off and sync.</summary>
public static unsafe partial class LibC
{
    public const int CLOCK_REALTIME = 0;

    /// <summary>reboot(2)'s RB_POWER_OFF (LINUX_REBOOT_CMD_POWER_OFF).</summary>
    public const int RB_POWER_OFF = 0x4321FEDC;

    [StructLayout(LayoutKind.Sequential)]
    public struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport(Library, EntryPoint = "geteuid")]
    public static partial uint GetEffectiveUserId();

    [LibraryImport(Library, EntryPoint = "getegid")]
    public static partial uint GetEffectiveGroupId();

    [LibraryImport(Library, EntryPoint = "clock_settime", SetLastError = true)]
    public static partial int ClockSetTime(int clock, TimeSpec* time);

    [LibraryImport(Library, EntryPoint = "sethostname", SetLastError = true)]
    public static partial int SetHostName(byte* name, nuint length);

    [LibraryImport(Library, EntryPoint = "reboot", SetLastError = true)]
    public static partial int Reboot(int command);

    [LibraryImport(Library, EntryPoint = "sync")]
    public static partial void Sync();
}
