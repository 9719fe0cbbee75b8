namespace Sealpod.Runtime.Tests.Support;

/// <summary>
/// The base of a test class whose tests move bytes through real descriptors: each test gets its own
/// <see cref="TempDirectoryTest.Temp"/> and <see cref="Poller"/>, both gone after it.
/// </summary>
public abstract class FdPollerTest(string prefix) : TempDirectoryTest(prefix)
{
    /// <summary>This test's epoll loop.</summary>
    protected FdPoller Poller { get; } = new();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Poller.Dispose();
        }

        base.Dispose(disposing);
    }
}
