namespace Sealpod.Vmm.Qemu.Qmp;

/// <summary>
/// The QMP connection ended (QEMU exited, the socket broke, or the client was disposed) before a
/// command got its answer. Pending commands fail with this at once rather than hanging.
/// </summary>
public sealed class QmpConnectionClosedException : IOException
{
    /// <summary>Creates the exception.</summary>
    public QmpConnectionClosedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public QmpConnectionClosedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public QmpConnectionClosedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
