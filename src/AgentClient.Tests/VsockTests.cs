namespace Sealpod.AgentClient.Tests;

public sealed class VsockTests
{
    [Fact]
    public async Task Connecting_to_a_context_id_with_no_listener_fails_with_the_kernels_error()
    {
        // This host's kernel has the vsock stack (it is itself a guest), so AF_VSOCK sockets are real;
        // nothing listens on the host (CID 2) at this port, so the kernel refuses or resets.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => VsockConnector.ConnectAsync(2, 61_999, timeout.Token));

        Assert.True(error is SocketException, $"expected a SocketException, got {error}");
    }

    [Fact]
    public async Task Cancellation_stops_a_connect_that_would_wait()
    {
        // CID 77 does not exist: the kernel would wait for its connect timeout (2 s by default).
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var error = await Record.ExceptionAsync(() => VsockConnector.ConnectAsync(77, 1024, cancel.Token));

        Assert.True(error is OperationCanceledException or SocketException, $"unexpected {error}");
    }

    [Fact]
    public void Context_id_allocation_without_the_device_names_it()
    {
        var allocator = new VsockContextIdAllocator("/nonexistent/vhost-vsock");

        Assert.False(allocator.IsAvailable);
        var error = Assert.ThrowsAny<IOException>(() => allocator.Allocate());
        Assert.Contains("/nonexistent/vhost-vsock", error.Message, StringComparison.Ordinal);
    }
}
