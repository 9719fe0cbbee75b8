namespace Sealpod.HostCheck.Containerd;

/// <summary>A running containerd found in /proc: its pid, executable, PATH and the config file it was started with.</summary>
/// <param name="PathVariable">PATH from its environment; null when unset or unreadable (<paramref name="EnvironError"/> says which).</param>
/// <param name="EnvironError">Why /proc/PID/environ could not be read (it is readable by the process owner and root only).</param>
public sealed record ContainerdProcess(int Pid, string? Executable, string? PathVariable, string? EnvironError, string ConfigFile)
{
    /// <summary>
    /// Finds the containerd that reads <paramref name="configPath"/>: the one started with --config/-c naming it, or for
    /// the default path one started without the flag. Other containerds (test instances with private configs) are ignored.
    /// </summary>
    public static ContainerdProcess? Find(IHostProbe probe, string configPath, string defaultConfigPath)
    {
        ArgumentNullException.ThrowIfNull(probe);
        foreach (var entry in probe.ListDirectory("/proc").Order(StringComparer.Ordinal))
        {
            if (!int.TryParse(entry, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            if (probe.ReadFile($"/proc/{pid}/comm").Trimmed != "containerd")
            {
                continue;
            }

            var argv = SplitNul(probe.ReadFile($"/proc/{pid}/cmdline").Text);
            var config = ConfigArgument(argv) ?? defaultConfigPath;
            if (!string.Equals(Normalize(config), Normalize(configPath), StringComparison.Ordinal))
            {
                continue;
            }

            var environ = probe.ReadFile($"/proc/{pid}/environ");
            var pathVariable = SplitNul(environ.Text).FirstOrDefault(e => e.StartsWith("PATH=", StringComparison.Ordinal))?[5..];
            return new ContainerdProcess(pid, probe.ReadLink($"/proc/{pid}/exe"), pathVariable, environ.Ok ? null : environ.Error, config);
        }

        return null;
    }

    private static string? ConfigArgument(IReadOnlyList<string> argv)
    {
        for (var i = 1; i < argv.Count; i++)
        {
            var arg = argv[i];
            foreach (var flag in new[] { "--config", "-config", "-c", "--c" })
            {
                if (arg == flag && i + 1 < argv.Count)
                {
                    return argv[i + 1];
                }

                if (arg.StartsWith(flag + "=", StringComparison.Ordinal))
                {
                    return arg[(flag.Length + 1)..];
                }
            }
        }

        return null;
    }

    private static string Normalize(string path) => Path.GetFullPath(path);

    private static string[] SplitNul(string? text) =>
        text is null ? [] : text.Split('\0', StringSplitOptions.RemoveEmptyEntries);
}
