namespace Sealpod.Linux.IO;

/// <summary>
/// Reads and writes <c>struct epoll_event</c> by hand: the kernel packs it to 12 bytes on x86-64
/// but aligns the 64-bit data field to 8 (16 bytes in all) on other 64-bit architectures, and a
/// C# struct cannot have both layouts. Fields are in the machine's byte order (s390x is big-endian).
/// </summary>
internal static class EpollEvent
{
    /// <summary>Room for one event on any architecture.</summary>
    public const int MaxSize = 16;

    public static readonly int Size = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    private static readonly int DataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    public static void Write(Span<byte> destination, uint events, ulong data)
    {
        destination[..Size].Clear();
        MemoryMarshal.Write(destination, in events);
        MemoryMarshal.Write(destination[DataOffset..], in data);
    }

    public static (uint Events, ulong Data) Read(ReadOnlySpan<byte> source) =>
        (MemoryMarshal.Read<uint>(source), MemoryMarshal.Read<ulong>(source[DataOffset..]));
}
