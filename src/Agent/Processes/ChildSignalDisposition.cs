namespace Sealpod.Agent.Processes;

/// <summary>
/// Undoes a SIGCHLD disposition of SIG_IGN inherited across exec. While SIGCHLD is ignored the
/// kernel reaps children by itself, and the .NET runtime leaves an ignored SIGCHLD alone when it
/// sets up its signal handling: the agent would never see an exit. Runs before the runtime
/// installs its handler (first thing in Main, and again before the reaper registers).
/// </summary>
internal static unsafe class ChildSignalDisposition
{
    private const nint SignalIgnore = 1;

    /// <summary>Resets SIGCHLD to SIG_DFL if it is ignored; returns whether it was.</summary>
    public static bool ResetIfIgnored()
    {
        var current = stackalloc byte[LibC.SigActionSize];
        new Span<byte>(current, LibC.SigActionSize).Clear();
        if (LibC.SigAction(LibC.SIGCHLD, null, current) != 0 || *(nint*)current != SignalIgnore)
        {
            return false;
        }

        var defaults = stackalloc byte[LibC.SigActionSize];
        new Span<byte>(defaults, LibC.SigActionSize).Clear();
        SystemCallException.ThrowIfFailed(LibC.SigAction(LibC.SIGCHLD, defaults, null), "sigaction(SIGCHLD)");
        return true;
    }
}
