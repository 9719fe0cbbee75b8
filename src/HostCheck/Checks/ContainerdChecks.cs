namespace Sealpod.HostCheck.Checks;

/// <summary>
/// containerd's side: config.toml parses, a CRI runtime uses io.containerd.sealpod.v2 with an existing ConfigPath and
/// lets io.katacontainers.* pod annotations through, and the shim binary is where containerd will look for it.
/// A host where sealpod is simply not set up in containerd yet gets WARN (ctr --runtime still works); a setup that
/// exists but is broken gets FAIL.
/// </summary>
public sealed class ContainerdChecks : SyncCheckGroup
{
    public const string ShimBinary = "containerd-shim-sealpod-v2";

    /// <summary>Annotations CoCo pods rely on; pod_annotations must pass all of them.</summary>
    public static readonly IReadOnlyList<string> SampleAnnotations =
    [
        "io.katacontainers.config.hypervisor.cc_init_data",
        "io.katacontainers.config.hypervisor.kernel_params",
        "io.katacontainers.config.agent.policy",
    ];

    protected override IReadOnlyList<CheckResult> Run(CheckContext context)
    {
        var snapshot = new ContainerdConfigReader(context.Probe).Read(context.ContainerdConfigPath);
        var sealpod = snapshot.Runtimes.Where(r => r.RuntimeType == ContainerdConfigReader.SealpodRuntimeType).ToArray();
        return
        [
            ConfigFile(snapshot),
            Runtime(context, snapshot, sealpod),
            ConfigPaths(context, snapshot, sealpod),
            PodAnnotations(snapshot, sealpod),
            Shim(context, sealpod.Length > 0),
        ];
    }

    private static string SnippetRemedy(string path) =>
        $"Append the output of 'sealpod containerd-config' (or 'sealpod containerd-config --config FILE') to {path} and restart containerd.";

    private static CheckResult ConfigFile(ContainerdConfigSnapshot snapshot)
    {
        var path = snapshot.Path;
        switch (snapshot.Status)
        {
            case ContainerdConfigStatus.Missing:
                return CheckResult.Create(CheckIds.ContainerdConfig, CheckStatus.Warn,
                    $"{path} does not exist: containerd runs on built-in defaults, which have no sealpod runtime", [new(path, "absent")],
                    $"Create it with 'containerd config default > {path}', then: {SnippetRemedy(path)}");
            case ContainerdConfigStatus.Invalid:
            case ContainerdConfigStatus.Unsupported:
                return CheckResult.Create(CheckIds.ContainerdConfig, CheckStatus.Fail, snapshot.Error ?? "invalid", [new(path, snapshot.Error ?? "invalid")],
                    snapshot.Status == ContainerdConfigStatus.Invalid
                        ? "Fix the file at the position shown: containerd refuses to start with it as well."
                        : "Write the file in config version 2 (containerd 1.x) or 3 (containerd 2.x); 'containerd config migrate' converts older ones.");
            default:
                var evidence = new List<Evidence> { new(path, $"version = {snapshot.Version}") };
                evidence.AddRange(snapshot.FilesRead.Skip(1).Select(f => new Evidence(f, "imported")));
                var names = snapshot.Runtimes.Count == 0 ? "no CRI runtimes defined" : $"CRI runtimes: {string.Join(", ", snapshot.Runtimes.Select(r => r.Name))}";
                return CheckResult.Create(CheckIds.ContainerdConfig, CheckStatus.Pass, $"version {snapshot.Version}, {names}", evidence);
        }
    }

    private static CheckResult Runtime(CheckContext context, ContainerdConfigSnapshot snapshot, ContainerdRuntimeEntry[] sealpod)
    {
        if (snapshot.Status != ContainerdConfigStatus.Ok)
        {
            return CheckResult.Create(CheckIds.ContainerdRuntime, CheckStatus.Skip, "containerd's configuration was not read (see containerd.config)", []);
        }

        var evidence = snapshot.Runtimes
            .Select(r => new Evidence($"{r.Table}.runtime_type", $"{r.RuntimeType ?? "<unset>"} ({r.SourceFile})"))
            .ToList();
        if (sealpod.Length == 0)
        {
            return CheckResult.Create(CheckIds.ContainerdRuntime, CheckStatus.Warn,
                $"no CRI runtime has runtime_type = \"{ContainerdConfigReader.SealpodRuntimeType}\": Kubernetes cannot select sealpod "
                + "(ctr run --runtime io.containerd.sealpod.v2 works without it)",
                evidence, SnippetRemedy(snapshot.Path));
        }

        if (context.ConfigFacts is { } config && !sealpod.Any(r => r.ConfigPath is { } p && SamePath(p, config.Path)))
        {
            evidence.Add(new("sealpod check --config", $"{config.Path} is not the ConfigPath of any sealpod runtime"));
        }

        return CheckResult.Create(CheckIds.ContainerdRuntime, CheckStatus.Pass,
            $"sealpod runtime{(sealpod.Length > 1 ? "s" : "")}: {string.Join(", ", sealpod.Select(r => r.Name))}", evidence);
    }

    private static CheckResult ConfigPaths(CheckContext context, ContainerdConfigSnapshot snapshot, ContainerdRuntimeEntry[] sealpod)
    {
        if (sealpod.Length == 0)
        {
            return CheckResult.Create(CheckIds.ContainerdConfigPath, CheckStatus.Skip, "no sealpod runtime in containerd's configuration", []);
        }

        var evidence = new List<Evidence>();
        var problems = new List<string>();
        var status = CheckStatus.Pass;
        foreach (var runtime in sealpod)
        {
            var key = $"{runtime.Table}.options.ConfigPath";
            if (runtime.ConfigPath is null)
            {
                evidence.Add(new(key, "<unset>"));
                problems.Add($"{runtime.Name} has no options.ConfigPath (the shim falls back to its configuration search order)");
                status = Max(status, CheckStatus.Warn);
            }
            else if (!context.Probe.IsReadable(runtime.ConfigPath))
            {
                evidence.Add(new(key, $"{runtime.ConfigPath} ({(context.Probe.Exists(runtime.ConfigPath) ? "not readable" : "absent")})"));
                problems.Add($"{runtime.Name}: {runtime.ConfigPath} {(context.Probe.Exists(runtime.ConfigPath) ? "is not readable" : "does not exist")}");
                status = CheckStatus.Fail;
            }
            else
            {
                evidence.Add(new(key, $"{runtime.ConfigPath} (present)"));
            }
        }

        return status == CheckStatus.Pass
            ? CheckResult.Create(CheckIds.ContainerdConfigPath, CheckStatus.Pass, "every sealpod runtime names an existing configuration", evidence)
            : CheckResult.Create(CheckIds.ContainerdConfigPath, status, string.Join("; ", problems), evidence,
                $"Point options.ConfigPath at an installed configuration (/usr/share/defaults/sealpod/configuration-*.toml): {SnippetRemedy(snapshot.Path)}");
    }

    private static CheckResult PodAnnotations(ContainerdConfigSnapshot snapshot, ContainerdRuntimeEntry[] sealpod)
    {
        if (sealpod.Length == 0)
        {
            return CheckResult.Create(CheckIds.ContainerdPodAnnotations, CheckStatus.Skip, "no sealpod runtime in containerd's configuration", []);
        }

        var evidence = new List<Evidence>();
        var blocked = new List<string>();
        foreach (var runtime in sealpod)
        {
            var patterns = runtime.PodAnnotations ?? [];
            evidence.Add(new($"{runtime.Table}.pod_annotations",
                runtime.PodAnnotations is null ? "<unset>" : $"[{string.Join(", ", patterns.Select(p => $"\"{p}\""))}]"));
            var dropped = SampleAnnotations.Where(key => !patterns.Any(p => PathGlob.IsMatch(p, key))).ToArray();
            if (dropped.Length > 0)
            {
                blocked.Add($"{runtime.Name} drops {string.Join(", ", dropped)}");
            }
        }

        return blocked.Count == 0
            ? CheckResult.Create(CheckIds.ContainerdPodAnnotations, CheckStatus.Pass, "io.katacontainers.* pod annotations reach the shim", evidence)
            : CheckResult.Create(CheckIds.ContainerdPodAnnotations, CheckStatus.Fail, string.Join("; ", blocked), evidence,
                "Add pod_annotations = [\"io.katacontainers.*\"] to the runtime: CRI passes only listed annotations, and init-data, "
                + "kernel_params and agent policy annotations are how CoCo pods configure their guest.");
    }

    private static CheckResult Shim(CheckContext context, bool runtimeConfigured)
    {
        var probe = context.Probe;
        var evidence = new List<Evidence>();
        var process = ContainerdProcess.Find(probe, context.ContainerdConfigPath, CheckContext.DefaultContainerdConfig);
        string searchPath;
        string? containerdDirectory;
        if (process is { EnvironError: null })
        {
            // Go's exec.LookPath with PATH unset searches nothing, so an empty PATH is what containerd really has.
            searchPath = process.PathVariable ?? "";
            evidence.Add(new($"/proc/{process.Pid}/environ PATH", process.PathVariable ?? "<unset>"));
            containerdDirectory = process.Executable is { } exe ? Path.GetDirectoryName(exe) : null;
        }
        else if (process is not null)
        {
            searchPath = context.SearchPath;
            evidence.Add(new($"/proc/{process.Pid}/environ", $"<{process.EnvironError}> (run as root to read containerd's PATH); using this process's PATH"));
            evidence.Add(new("PATH", searchPath));
            containerdDirectory = process.Executable is { } exe ? Path.GetDirectoryName(exe) : null;
        }
        else
        {
            searchPath = context.SearchPath;
            evidence.Add(new("containerd process", $"none running with {context.ContainerdConfigPath}; using this process's PATH"));
            evidence.Add(new("PATH", searchPath));
            containerdDirectory = FindOnPath(probe, searchPath, "containerd") is { } found ? Path.GetDirectoryName(found) : null;
        }

        // containerd falls back to its own directory when the shim is not on PATH (runtime/v2/manager.go).
        var directories = searchPath.Split(':', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (containerdDirectory is not null && !directories.Contains(containerdDirectory, StringComparer.Ordinal))
        {
            directories.Add(containerdDirectory);
        }

        foreach (var directory in directories)
        {
            var candidate = Path.Join(directory, ShimBinary);
            if (probe.IsExecutable(candidate))
            {
                evidence.Add(new(candidate, "executable"));
                return CheckResult.Create(CheckIds.ContainerdShim, CheckStatus.Pass, $"{candidate}", evidence);
            }

            if (probe.Exists(candidate))
            {
                evidence.Add(new(candidate, "present but not executable"));
            }
        }

        evidence.Add(new(ShimBinary, $"not found in {string.Join(":", directories)}"));
        return CheckResult.Create(CheckIds.ContainerdShim, runtimeConfigured ? CheckStatus.Fail : CheckStatus.Warn,
            $"{ShimBinary} is not on containerd's PATH{(runtimeConfigured ? ": pods with the sealpod runtime cannot start" : "")}", evidence,
            $"Install the shim into a directory on containerd's PATH, e.g. /usr/local/bin/{ShimBinary}, "
            + "or next to the containerd binary.");
    }

    private static string? FindOnPath(Probing.IHostProbe probe, string searchPath, string name) =>
        searchPath.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Join(d, name))
            .FirstOrDefault(probe.IsExecutable);

    private static bool SamePath(string a, string b) =>
        string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.Ordinal);

    private static CheckStatus Max(CheckStatus a, CheckStatus b) => a > b ? a : b;
}
