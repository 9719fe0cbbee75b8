namespace Sealpod.Linux.Tests;

public sealed class SystemCallExceptionTests
{
    [Fact]
    public void The_message_names_the_call_the_subject_and_the_errno()
    {
        var error = new SystemCallException("open", LibC.ENOENT, "/no/such/file");

        Assert.Equal("open /no/such/file: No such file or directory (errno 2)", error.Message);
        Assert.Equal("open", error.Operation);
        Assert.Equal(LibC.ENOENT, error.Errno);
    }

    [Fact]
    public void Without_a_subject_the_message_names_the_call_only()
    {
        Assert.Equal("epoll_wait: Invalid argument (errno 22)", new SystemCallException("epoll_wait", LibC.EINVAL).Message);
    }

    [Fact]
    public void ThrowIfFailed_passes_results_through_and_throws_with_the_last_errno()
    {
        Assert.Equal(7, SystemCallException.ThrowIfFailed(7, "x"));

        var error = Assert.Throws<SystemCallException>(() => SystemCallException.ThrowIfFailed(LibC.Close(-1), "close", "-1"));

        Assert.Equal(9, error.Errno); // EBADF
        Assert.Equal("close -1: Bad file descriptor (errno 9)", error.Message);
    }

    [Fact]
    public void ErrorText_is_the_text_and_the_number()
    {
        Assert.Equal("Broken pipe (errno 32)", LibC.ErrorText(LibC.EPIPE));
    }
}
