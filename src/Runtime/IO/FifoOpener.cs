namespace Sealpod.Runtime.IO;

/// <summary>
/// Opens the host end of containerd's stdio FIFOs without ever blocking a thread: the read end non-blocking
/// (it never waits for a writer), the write end non-blocking with retries while no reader is connected yet
/// (opening it would fail with ENXIO).
/// </summary>
internal static class FifoOpener
{
    private static readonly TimeSpan ReaderPollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>Opens the host's read end of the stdin FIFO.</summary>
    public static AsyncFd OpenForReading(FdPoller poller, string path)
    {
        string file = ToPath(path, "stdin");
        int fd = LibC.Open(file, LibC.O_RDONLY | LibC.O_NONBLOCK | LibC.O_CLOEXEC, 0);
        if (fd < 0)
        {
            throw new InvalidArgumentException($"cannot open stdin {file}: {SystemCallException.FromLastError("open").Message}");
        }

        return poller.Register(fd, file);
    }

    /// <summary>Opens the host's write end of an output FIFO, waiting (asynchronously) for containerd's reader.</summary>
    public static async Task<AsyncFd> OpenForWritingAsync(FdPoller poller, string path, string stream, CancellationToken cancellationToken)
    {
        string file = ToPath(path, stream);
        while (true)
        {
            int fd = LibC.Open(file, LibC.O_WRONLY | LibC.O_NONBLOCK | LibC.O_CLOEXEC, 0);
            if (fd >= 0)
            {
                return poller.Register(fd, file);
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno != LibC.ENXIO)
            {
                throw new InvalidArgumentException($"cannot open {stream} {file}: {Marshal.GetPInvokeErrorMessage(errno)}");
            }

            // No reader yet: containerd opens its end when the client attaches.
            await Task.Delay(ReaderPollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The file a stream URI names: a plain path or <c>fifo://</c> is a FIFO, <c>file://</c> a regular file.</summary>
    public static string ToPath(string uriOrPath, string stream)
    {
        if (uriOrPath.StartsWith("file://", StringComparison.Ordinal))
        {
            return uriOrPath["file://".Length..];
        }

        if (uriOrPath.StartsWith("fifo://", StringComparison.Ordinal))
        {
            return uriOrPath["fifo://".Length..];
        }

        if (uriOrPath.Contains("://", StringComparison.Ordinal))
        {
            throw new UnimplementedException($"{stream} '{uriOrPath}': only FIFO paths and file:// URIs are supported");
        }

        if (!Path.IsPathFullyQualified(uriOrPath))
        {
            throw new InvalidArgumentException($"{stream} '{uriOrPath}' is not an absolute path");
        }

        return uriOrPath;
    }
}
