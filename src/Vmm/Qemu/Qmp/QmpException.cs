namespace Sealpod.Vmm.Qemu.Qmp;

/// <summary>QEMU answered a command with an error (<c>{"error": {"class": ..., "desc": ...}}</c>).</summary>
public sealed class QmpException : Exception
{
    /// <summary>Creates the exception.</summary>
    public QmpException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public QmpException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public QmpException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception from QEMU's error reply.</summary>
    /// <param name="command">The command that failed.</param>
    /// <param name="errorClass">QEMU's error class: <c>GenericError</c>, <c>CommandNotFound</c>, <c>DeviceNotFound</c>, <c>DeviceNotActive</c>, <c>KVMMissingCap</c>.</param>
    /// <param name="description">QEMU's human-readable description.</param>
    public QmpException(string command, string errorClass, string description)
        : base($"QMP command '{command}' failed: {errorClass}: {description}")
    {
        Command = command;
        ErrorClass = errorClass;
        Description = description;
    }

    /// <summary>The command that failed.</summary>
    public string Command { get; } = string.Empty;

    /// <summary>QEMU's error class.</summary>
    public string ErrorClass { get; } = string.Empty;

    /// <summary>QEMU's description of the error.</summary>
    public string Description { get; } = string.Empty;
}
