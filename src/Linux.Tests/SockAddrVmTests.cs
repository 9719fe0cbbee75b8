namespace Sealpod.Linux.Tests;

public sealed class SockAddrVmTests
{
    [Fact]
    public void Sockaddr_vm_is_laid_out_as_in_linux_vm_sockets_h()
    {
        var address = new LibC.SockAddrVm { Family = LibC.AF_VSOCK, Port = 1024, Cid = 0x11223344 };

        var bytes = MemoryMarshal.AsBytes(new ReadOnlySpan<LibC.SockAddrVm>(in address)).ToArray();

        Assert.Equal(
            new byte[] { 40, 0, 0, 0, 0x00, 0x04, 0, 0, 0x44, 0x33, 0x22, 0x11, 0, 0, 0, 0 },
            bytes);
    }
}
