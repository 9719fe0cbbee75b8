namespace Sealpod.Runtime.Processes;

/// <summary>The signal numbers the state machines treat specially.</summary>
public static class Signals
{
    public const uint SigTerm = 15;
    public const uint SigKill = 9;

    /// <summary>Killing what is already dead with these is a no-op (Kata's rule), not an error.</summary>
    public static bool IsTermination(uint signal) => signal is SigKill or SigTerm;
}
