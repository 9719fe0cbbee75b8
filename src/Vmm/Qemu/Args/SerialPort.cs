namespace Sealpod.Vmm.Qemu.Args;

/// <summary><c>-serial chardev:ID</c>: the first serial port (ttyS0) backed by a chardev.</summary>
public sealed record SerialPort(string ChardevId) : IQemuArgs
{
    /// <inheritdoc />
    public IEnumerable<string> Render() => ["-serial", "chardev:" + ChardevId];
}
