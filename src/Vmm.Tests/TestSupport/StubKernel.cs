using System.Buffers.Binary;

namespace Sealpod.Vmm.Tests.TestSupport;

/// <summary>
/// A 42-byte multiboot "kernel": QEMU's -kernel loader accepts it, it writes 'X' to the first
/// serial port and halts. Enough guest to start a real VM (TCG) and see its console wired up,
/// without a Linux kernel. It does not react to ACPI, which is what the forced-stop tests need.
/// </summary>
public static class StubKernel
{
    public const char ConsoleMarker = 'X';

    private const uint LoadAddress = 0x100000;

    public static string Write(string directory)
    {
        var image = new byte[32 + 10];
        var header = image.AsSpan();
        const uint magic = 0x1BADB002;
        const uint flags = 0x00010000; // load addresses are in the header (a.out kludge)
        BinaryPrimitives.WriteUInt32LittleEndian(header[0..], magic);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], unchecked(0u - magic - flags));
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], LoadAddress); // header_addr
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], LoadAddress); // load_addr
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], 0);           // load_end_addr: whole file
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], 0);           // bss_end_addr: none
        BinaryPrimitives.WriteUInt32LittleEndian(header[28..], LoadAddress + 32); // entry
        byte[] code =
        [
            0xB0, (byte)ConsoleMarker, // mov al, 'X'
            0x66, 0xBA, 0xF8, 0x03,    // mov dx, 0x3f8
            0xEE,                      // out dx, al
            0xF4,                      // hlt
            0xEB, 0xFD,                // jmp hlt
        ];
        code.CopyTo(image, 32);
        var path = Path.Combine(directory, "stub-kernel.bin");
        File.WriteAllBytes(path, image);
        return path;
    }
}
