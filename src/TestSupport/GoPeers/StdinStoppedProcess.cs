namespace Sealpod.TestSupport;

/// <summary>How the Go peers (grpc-go, simple-kbs) are stopped: they exit when their stdin closes.</summary>
public static class StdinStoppedProcess
{
    // A safety net against a hung peer, not a performance assertion.
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    /// <summary>Closes <paramref name="process"/>'s stdin, waits for it to exit (killing it if it hangs) and disposes it.</summary>
    public static async Task StopAsync(Process process)
    {
        try
        {
            process.StandardInput.Close();
            using var grace = new CancellationTokenSource(Grace);
            await process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }
        finally
        {
            process.Dispose();
        }
    }
}
