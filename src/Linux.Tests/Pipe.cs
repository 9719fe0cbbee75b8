namespace Sealpod.Linux.Tests;

/// <summary>A close-on-exec pipe for a test: (read end, write end) as raw descriptors.</summary>
internal static class Pipe
{
    public static unsafe (int Read, int Write) Create()
    {
        int* fds = stackalloc int[2];
        Assert.Equal(0, LibC.Pipe2(fds, LibC.O_CLOEXEC));
        return (fds[0], fds[1]);
    }

    /// <summary>True while <paramref name="fd"/> is an open descriptor of this process.</summary>
    public static bool IsOpen(int fd) => LibC.Fcntl(fd, LibC.F_GETFD, 0) >= 0;
}
