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
}
