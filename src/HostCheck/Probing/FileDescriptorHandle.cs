using System.Runtime.InteropServices;

namespace Sealpod.HostCheck.Probing;

/// <summary>Owns a raw file descriptor so that it is closed on every path, including exceptions.</summary>
internal sealed class FileDescriptorHandle : SafeHandle
{
    public FileDescriptorHandle(int fd)
        : base(invalidHandleValue: -1, ownsHandle: true)
    {
        SetHandle(fd);
    }

    public override bool IsInvalid => handle < 0;

    public int Fd => (int)handle;

    /// <summary>Opens a path read-write and close-on-exec; the handle is invalid (errno kept) on failure.</summary>
    public static FileDescriptorHandle OpenReadWrite(string path) =>
        new(LibC.Open(path, LibC.O_RDWR | LibC.O_CLOEXEC, 0));

    protected override bool ReleaseHandle() => LibC.Close((int)handle) == 0;
}
