namespace Sealpod.Agent.Runtime;

/// <summary>
/// Finds the OCI runtime CLI: <c>agent.runtime=PATH</c> on the kernel command line wins, then the
/// usual Debian locations of crun and runc.
/// </summary>
internal static class RuntimeLocator
{
    public static IReadOnlyList<string> Candidates { get; } =
        ["/usr/bin/crun", "/usr/bin/runc", "/usr/sbin/runc", "/usr/local/bin/crun", "/usr/local/sbin/runc", "/sbin/runc"];

    /// <summary>Returns the runtime to use, or null when none is installed.</summary>
    public static string? Locate(string? kernelCommandLine, Func<string, bool> exists)
    {
        ArgumentNullException.ThrowIfNull(exists);
        var configured = KernelCommandLine.GetValue(kernelCommandLine, AgentKernelParameters.Runtime);
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        return Candidates.FirstOrDefault(exists);
    }
}
