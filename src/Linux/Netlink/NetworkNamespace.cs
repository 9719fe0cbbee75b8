namespace Sealpod.Linux.Netlink;

/// <summary>
/// Runs work inside a network namespace named by a path (/var/run/netns/cni-..., /proc/PID/ns/net). setns(2)
/// moves only the calling thread, so the work runs on a thread of its own that ends with it: no pool thread
/// is ever left in a pod's namespace. Sockets and taps opened there stay bound to that namespace afterwards.
/// </summary>
public static class NetworkNamespace
{
    public static Task<T> RunAsync<T>(string path, Func<T> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        cancellationToken.ThrowIfCancellationRequested();

        // Opened on the caller's thread so a missing path fails before a thread is made; the descriptor is
        // what setns takes, and it pins the namespace even if its bind mount goes away meanwhile.
        var fd = LibC.Open(path, LibC.O_RDONLY | LibC.O_CLOEXEC, 0);
        if (fd < 0)
        {
            throw SystemCallException.FromLastError("open network namespace", path);
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                using (handle)
                {
                    if (LibC.SetNs((int)handle.DangerousGetHandle(), LibC.CLONE_NEWNET) < 0)
                    {
                        throw SystemCallException.FromLastError("setns CLONE_NEWNET", path);
                    }
                }

                result.SetResult(work());
            }
            catch (Exception error)
            {
                result.SetException(error);
            }
        })
        {
            IsBackground = true,
            Name = "netns",
        };

        try
        {
            thread.Start();
        }
        catch
        {
            handle.Dispose();
            throw;
        }

        return result.Task;
    }

    public static Task RunAsync(string path, Action work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        return RunAsync(path, () =>
        {
            work();
            return true;
        }, cancellationToken);
    }
}
