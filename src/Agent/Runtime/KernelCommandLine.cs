using Sealpod.Contract.Kernel;

namespace Sealpod.Agent.Runtime;

/// <summary>
/// Reads <c>key=value</c> options from the kernel command line with the kernel's own splitting
/// (<see cref="KernelCommandLineTokenizer"/>), the one the host checked the pod's parameters with: a quoted
/// <c>agent.log</c> value stays one parameter here as it does in the kernel.
/// </summary>
internal static class KernelCommandLine
{
    public const string ProcPath = "/proc/cmdline";

    /// <summary>/proc/cmdline one character per byte (Latin-1), so byte 0xA0 still splits; null when unreadable.</summary>
    public static string? Read(string path = ProcPath)
    {
        try
        {
            return Encoding.Latin1.GetString(File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// The value of the last occurrence of <paramref name="key"/> before <c>--</c>, or null.
    /// <paramref name="commandLine"/> holds one byte per character, as <see cref="Read"/> returns it.
    /// </summary>
    public static string? GetValue(string? commandLine, string key)
    {
        if (string.IsNullOrEmpty(commandLine))
        {
            return null;
        }

        return KernelCommandLineTokenizer.LastValue(KernelCommandLineTokenizer.Split(Encoding.Latin1.GetBytes(commandLine)), key);
    }
}
