using System.Runtime.InteropServices;

namespace Sealpod.HostCheck.Probing;

/// <summary>
/// include/uapi/linux/psp-sev.h: SEV_ISSUE_CMD = _IOWR('S', 0x0, struct sev_issue_cmd); the command's data pointer
/// names a command-specific structure, here struct sev_user_data_status for SEV_PLATFORM_STATUS (command 1).
/// </summary>
internal static class SevIoctls
{
    public const uint PlatformStatusCommand = 1;

    public static readonly nuint IssueCommand = LibC.IoctlNumber(3, 'S', 0x0, (uint)Marshal.SizeOf<SevIssueCommand>());

    /// <summary>struct sev_issue_cmd { __u32 cmd; __u64 data; __u32 error; } with natural alignment (24 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct SevIssueCommand
    {
        public uint Command;
        public ulong Data;
        public uint Error;
    }

    /// <summary>struct sev_user_data_status, declared __packed (12 bytes).</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 1)]
    public struct SevUserDataStatus
    {
        public byte ApiMajor;
        public byte ApiMinor;
        public byte State;
        public uint Flags;
        public byte Build;
        public uint GuestCount;
    }
}
