namespace Sealpod.Linux.Native;

/// <summary>
/// A reference held on a <see cref="SafeHandle"/> while its raw descriptor is in use, so that a concurrent dispose
/// cannot close the number (and the kernel hand it to another file) under a system call. Disposing gives it back.
/// </summary>
public ref struct DescriptorLease
{
    private readonly SafeHandle _handle;
    private bool _added;

    /// <exception cref="ObjectDisposedException">The handle is already closed.</exception>
    public DescriptorLease(SafeHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        _handle = handle;
        handle.DangerousAddRef(ref _added);
    }

    public readonly int Descriptor => (int)_handle.DangerousGetHandle();

    public void Dispose()
    {
        if (_added)
        {
            _added = false;
            _handle.DangerousRelease();
        }
    }
}
