namespace Sealpod.Linux.Native;

/// <summary>A libc call failed; carries the errno so callers can branch on it.</summary>
public sealed class SystemCallException : IOException
{
    public SystemCallException(string operation, int errno, string? subject = null)
        : base(Describe(operation, errno, subject))
    {
        Operation = operation;
        Errno = errno;
    }

    /// <summary>What was attempted ("read", "epoll_ctl", "mount /run/x" ...).</summary>
    public string Operation { get; }

    public int Errno { get; }

    /// <summary>An exception for the errno the last import left behind.</summary>
    public static SystemCallException FromLastError(string operation, string? subject = null) =>
        new(operation, Marshal.GetLastPInvokeError(), subject);

    /// <summary>Throws for a negative return value (the libc convention), else returns it.</summary>
    public static int ThrowIfFailed(int result, string operation, string? subject = null) =>
        result < 0 ? throw FromLastError(operation, subject) : result;

    private static string Describe(string operation, int errno, string? subject) =>
        subject is null ? $"{operation}: {LibC.ErrorText(errno)}" : $"{operation} {subject}: {LibC.ErrorText(errno)}";
}
