namespace Sealpod.Linux.Native;

/// <summary>
/// The one entry point of the .NET runtime's own native shim (System.Native) the agent calls.
/// When a process is PID 1, or started with SIGCHLD ignored, the runtime's signal thread reaps every
/// child itself (waitpid(-1)) on each SIGCHLD, so that no zombie is left behind, unless a SIGCHLD
/// callback is registered (System.Diagnostics.Process registers one). The agent registers its own:
/// the runtime then hands each SIGCHLD to it and reaps nothing.
/// </summary>
public static unsafe partial class SystemNative
{
    private const string Library = "libSystem.Native";

    /// <summary>
    /// Sets the SIGCHLD callback: <c>int callback(int reapAll, int configureConsole)</c>, called on
    /// the runtime's signal thread; returning non-zero asks it to reconfigure the terminal.
    /// </summary>
    [LibraryImport(Library, EntryPoint = "SystemNative_RegisterForSigChld")]
    public static partial void RegisterForSigChld(delegate* unmanaged<int, int, int> callback);
}
