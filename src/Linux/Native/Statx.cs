namespace Sealpod.Linux.Native;

/// <summary>struct statx from linux/stat.h (256 bytes): the fields Sealpod reads.</summary>
[StructLayout(LayoutKind.Explicit, Size = 256)]
public struct Statx
{
    [FieldOffset(0x00)] public uint Mask;
    [FieldOffset(0x08)] public ulong Attributes;
    [FieldOffset(0x14)] public uint Uid;
    [FieldOffset(0x18)] public uint Gid;
    [FieldOffset(0x1C)] public ushort Mode;
    [FieldOffset(0x20)] public ulong Ino;
    [FieldOffset(0x28)] public ulong Size;
    [FieldOffset(0x50)] public long BirthSeconds;
    [FieldOffset(0x58)] public uint BirthNanoseconds;
    [FieldOffset(0x70)] public long ModifiedSeconds;
    [FieldOffset(0x78)] public uint ModifiedNanoseconds;
    [FieldOffset(0x80)] public uint RdevMajor;
    [FieldOffset(0x84)] public uint RdevMinor;
    [FieldOffset(0x88)] public uint DevMajor;
    [FieldOffset(0x8C)] public uint DevMinor;
    [FieldOffset(0x90)] public ulong MountId;
}
