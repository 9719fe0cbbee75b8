namespace Sealpod.Agent.Guest;

/// <summary>
/// Whether the agent runs in a confidential guest (SEV, SEV-ES, SEV-SNP, TDX, SE), decided from what the guest can
/// see: a TEE guest device, or the flag the runtime puts on the kernel command line of every confidential launch.
/// Either only turns confidentiality on: a host that leaves the flag out changes the measured command line, and the
/// devices exist only where the hardware protects the guest.
/// </summary>
internal static class ConfidentialGuest
{
    /// <summary>The kernel command-line flag the runtime sets for a confidential launch (<c>agent.confidential=true</c>).</summary>
    public const string CommandLineFlag = AgentKernelParameters.Confidential;

    /// <summary>Paths, relative to the guest's root, whose presence means a TEE guest driver is bound.</summary>
    public static IReadOnlyList<string> DevicePaths { get; } =
    [
        "dev/sev-guest", // SEV-SNP guest requests (sev-guest driver)
        "dev/tdx_guest", // TDX guest (tdx-guest driver, before 6.9)
        "dev/tdx-guest", // TDX guest (tdx-guest driver, 6.9 on)
        "sys/kernel/config/tsm/report", // configfs-tsm: a report provider is registered (SNP or TDX)
    ];

    /// <summary>
    /// What makes this a confidential guest, or null when nothing does. <paramref name="exists"/> answers for a path
    /// (file or directory) under <paramref name="root"/>; tests give their own.
    /// </summary>
    public static string? Evidence(string? commandLine, string root, Func<string, bool> exists)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(exists);
        if (KernelCommandLine.GetValue(commandLine, CommandLineFlag) is "true" or "1")
        {
            return $"{CommandLineFlag} on the kernel command line";
        }

        foreach (var path in DevicePaths)
        {
            var full = Path.Combine(root, path);
            if (exists(full))
            {
                return full;
            }
        }

        return null;
    }
}
