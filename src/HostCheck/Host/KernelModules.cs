namespace Sealpod.HostCheck.Host;

/// <summary>
/// Finds out whether a kernel module is loaded, built in, installable or absent. /sys/module/NAME exists for loaded
/// modules and for built-in ones that have parameters; loadable modules also have /sys/module/NAME/initstate.
/// /proc/modules, modules.builtin and modules.dep settle the remaining cases (built-ins without parameters,
/// modules on disk but not loaded). Hosts booted without module support (like PVM sandboxes) have none of the files.
/// </summary>
public sealed class KernelModules(IHostProbe probe, string kernelRelease)
{
    private readonly Lazy<string?> _procModules = new(() => probe.ReadFile("/proc/modules").Text);
    private readonly Lazy<string?> _builtin = new(() => probe.ReadFile($"/lib/modules/{kernelRelease}/modules.builtin").Text);
    private readonly Lazy<string?> _dep = new(() => probe.ReadFile($"/lib/modules/{kernelRelease}/modules.dep").Text);

    public ModuleStatus Resolve(string name)
    {
        // Module names use '_' in sysfs; files on disk may spell them with '-'.
        var sysName = name.Replace('-', '_');
        var evidence = new List<Evidence>();
        var sysPath = $"/sys/module/{sysName}";
        if (probe.Exists(sysPath))
        {
            var initstate = probe.ReadFile($"{sysPath}/initstate");
            if (initstate.Ok)
            {
                evidence.Add(new Evidence($"{sysPath}/initstate", initstate.Trimmed!));
                return new ModuleStatus(name, ModuleState.Loaded, evidence);
            }

            evidence.Add(new Evidence(sysPath, "present, no initstate (built in)"));
            return new ModuleStatus(name, ModuleState.BuiltIn, evidence);
        }

        evidence.Add(new Evidence(sysPath, "absent"));
        if (_procModules.Value is { } modules)
        {
            var line = modules.Split('\n').FirstOrDefault(l => l.StartsWith(sysName + " ", StringComparison.Ordinal));
            if (line is not null)
            {
                evidence.Add(new Evidence("/proc/modules", line.Trim()));
                return new ModuleStatus(name, ModuleState.Loaded, evidence);
            }

            evidence.Add(new Evidence("/proc/modules", $"no {sysName}"));
        }
        else
        {
            evidence.Add(new Evidence("/proc/modules", "absent (kernel without module support)"));
        }

        if (FindModuleFile(_builtin.Value, sysName) is { } builtin)
        {
            evidence.Add(new Evidence($"/lib/modules/{kernelRelease}/modules.builtin", builtin));
            return new ModuleStatus(name, ModuleState.BuiltIn, evidence);
        }

        if (FindModuleFile(_dep.Value, sysName) is { } file)
        {
            evidence.Add(new Evidence($"/lib/modules/{kernelRelease}/modules.dep", file));
            return new ModuleStatus(name, ModuleState.NotLoaded, evidence);
        }

        evidence.Add(new Evidence($"/lib/modules/{kernelRelease}", _dep.Value is null ? "no modules.dep" : $"no {sysName}.ko"));
        return new ModuleStatus(name, ModuleState.Missing, evidence);
    }

    private static string? FindModuleFile(string? listing, string sysName)
    {
        if (listing is null)
        {
            return null;
        }

        foreach (var rawLine in listing.Split('\n'))
        {
            var path = rawLine.Split(':', 2)[0].Trim();
            var file = path[(path.LastIndexOf('/') + 1)..];
            var dot = file.IndexOf(".ko", StringComparison.Ordinal);
            if (dot > 0 && file[..dot].Replace('-', '_') == sysName)
            {
                return path;
            }
        }

        return null;
    }
}
