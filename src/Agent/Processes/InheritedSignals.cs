using Sealpod.Agent.Native;

namespace Sealpod.Agent.Processes;

/// <summary>
/// Undoes a SIGCHLD disposition of SIG_IGN inherited across exec (the guest's /init can leave it
/// so). Ignored SIGCHLD makes the kernel reap children on its own, and the .NET runtime, seeing it
/// as the original disposition when it installs its handler, then reaps every child itself to keep
/// those semantics: either way the agent's reaper never sees an exit. Must run before the runtime
/// sets up signal handling, so first thing in Main.
/// </summary>
internal static unsafe class InheritedSignals
{
    private const nint SignalIgnore = 1;

    /// <summary>Resets SIGCHLD to SIG_DFL if it is ignored; returns whether it was.</summary>
    public static bool ResetIgnoredChildSignal()
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
