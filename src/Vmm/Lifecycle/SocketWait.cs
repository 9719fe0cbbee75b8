namespace Sealpod.Vmm.Lifecycle;

/// <summary>
/// Waits for a freshly started process to serve its socket: polls (5 ms, doubling to 100 ms) until the socket file
/// exists and <c>connect</c> succeeds, and fails as soon as the process exits or the time is up. Every driver waits
/// this way for its control socket (QMP, the REST API) and for the daemons it starts first (virtiofsd).
/// </summary>
internal static class SocketWait
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan LongestDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>Polls until <paramref name="connect"/> succeeds on <paramref name="socketPath"/>.</summary>
    /// <param name="process">The process that is to serve the socket; its exit ends the wait with <paramref name="exited"/>.</param>
    /// <param name="socketPath">The socket file, which appears before the process accepts on it.</param>
    /// <param name="connect">Connects (bounded by the token it gets); returns the connection.</param>
    /// <param name="notYet">Errors of <paramref name="connect"/> that mean "not listening yet": the poll goes on.</param>
    /// <param name="timeout">How long the whole wait may take.</param>
    /// <param name="exited">The error when the process exits first.</param>
    /// <param name="timedOut">The error when <paramref name="timeout"/> passes first.</param>
    /// <param name="cancellationToken">Cancels the wait (an <see cref="OperationCanceledException"/>, not a start error).</param>
    public static async Task<T> ConnectAsync<T>(
        VmProcess process, string socketPath, Func<CancellationToken, Task<T>> connect, Func<Exception, bool> notYet, TimeSpan timeout,
        Func<HypervisorStartException> exited, Func<HypervisorStartException> timedOut, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var delay = FirstDelay;
        try
        {
            while (true)
            {
                if (process.HasExited)
                {
                    throw exited();
                }

                if (File.Exists(socketPath))
                {
                    try
                    {
                        return await connect(deadline.Token).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (notYet(ex))
                    {
                    }
                }

                await Task.WhenAny(process.Exited, Task.Delay(delay, deadline.Token)).ConfigureAwait(false);
                deadline.Token.ThrowIfCancellationRequested();
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestDelay.Ticks));
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw timedOut();
        }
    }

    /// <summary>Polls until <paramref name="socketPath"/> exists, for a daemon that creates its socket once it is ready.</summary>
    public static Task ExistsAsync(
        VmProcess process, string socketPath, TimeSpan timeout, Func<HypervisorStartException> exited, Func<HypervisorStartException> timedOut,
        CancellationToken cancellationToken) =>
        ConnectAsync(process, socketPath, _ => Task.FromResult(true), _ => false, timeout, exited, timedOut, cancellationToken);
}
