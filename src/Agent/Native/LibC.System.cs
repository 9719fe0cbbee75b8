using System.Runtime.InteropServices;

namespace Sealpod.Agent.Native;

internal static unsafe partial class LibC
{
    public const int CLOCK_REALTIME = 0;

    [StructLayout(LayoutKind.Sequential)]
    public struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport(Library, EntryPoint = "clock_settime", SetLastError = true)]
    public static partial int ClockSetTime(int clock, TimeSpec* time);

    [LibraryImport(Library, EntryPoint = "sethostname", SetLastError = true)]
    public static partial int SetHostName(byte* name, nuint length);

    /// <summary>reboot(2)'s RB_POWER_OFF (LINUX_REBOOT_CMD_POWER_OFF).</summary>
    public const int RB_POWER_OFF = 0x4321FEDC;

    [LibraryImport(Library, EntryPoint = "reboot", SetLastError = true)]
    public static partial int Reboot(int command);
}
