namespace Sealpod.Config;

/// <summary>
/// Turns a merged TOML document into <see cref="SealpodConfiguration"/> (data plus Kata's defaults); structural
/// problems and bad values go to the <see cref="DiagnosticBag"/>. Cross-field rules run afterwards in
/// <see cref="ConfigurationValidator"/>.
/// </summary>
internal static class ConfigurationBinder
{
    private static readonly string[] Sections = ["hypervisor", "agent", "runtime", "factory", "image"];

    /// <summary>Kata 1.x sections that Kata 2 silently ignores; kept, not warned about.</summary>
    private static readonly FrozenSet<string> KataValidUnmodelledSections =
        new[] { "proxy", "shim", "netmon" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Hypervisor kinds Kata knows and Sealpod does not drive.</summary>
    private static readonly string[] OtherKataHypervisors = ["firecracker", "dragonball", "stratovirt", "remote", "acrn"];

    private static readonly TomlTable EmptyTable = new([], new Dictionary<string, TomlPosition>(), default);

    /// <param name="hasHypervisor">False when no usable [hypervisor.*] section exists and a placeholder stands in.</param>
    public static SealpodConfiguration Bind(TomlTable root, DiagnosticBag diagnostics, EquatableArray<string> sourceFiles, out bool hasHypervisor)
    {
        var unmodelled = new Dictionary<string, TomlValue>(StringComparer.Ordinal);
        var hypervisor = BindHypervisor(root, diagnostics, unmodelled);
        hasHypervisor = hypervisor is not null;
        var agent = BindAgent(root, diagnostics, unmodelled);
        var runtime = RuntimeBinder.Bind(Section(root, "runtime", diagnostics), unmodelled);
        var factory = FactoryBinder.Bind(Section(root, "factory", diagnostics), unmodelled);
        var image = ImageBinder.Bind(Section(root, "image", diagnostics), unmodelled);

        foreach (var (key, value) in root)
        {
            if (Sections.Contains(key, StringComparer.Ordinal))
            {
                continue;
            }

            if (KataValidUnmodelledSections.Contains(key))
            {
                unmodelled[key] = value;
                continue;
            }

            var suggestion = KeySuggester.Suggest(key, Sections);
            var hint = suggestion is null ? string.Empty : $" (did you mean \"{suggestion}\"?)";
            diagnostics.Warning(key, $"unknown {(value is TomlTable ? "section" : "key")}, ignored{hint}", root.GetKeyPosition(key));
        }

        runtime = StaticSizingForTee(hypervisor, runtime, root, diagnostics);
        return new SealpodConfiguration
        {
            Hypervisor = hypervisor ?? new QemuConfig(),
            Agent = agent,
            Runtime = runtime,
            Factory = factory,
            Image = image,
            SourceFiles = sourceFiles,
            Sources = ConfigurationSourceMap.FromTable(root),
            UnmodelledKeys = unmodelled.ToFrozenDictionary(StringComparer.Ordinal),
        };
    }

    /// <summary>
    /// A TEE guest cannot hot-plug CPUs or memory (Kata's TEE templates set static_sandbox_resource_mgmt = true), so a
    /// confidential guest is always sized before boot; an explicit <c>false</c> is overridden with a warning.
    /// </summary>
    private static RuntimeConfig StaticSizingForTee(HypervisorConfig? hypervisor, RuntimeConfig runtime, TomlTable root, DiagnosticBag diagnostics)
    {
        if (hypervisor is not { ConfidentialGuest: true } || runtime.StaticSandboxResourceMgmt)
        {
            return runtime;
        }

        if (root.TryGetValue("runtime", out var section) && section is TomlTable table && table.TryGetValue("static_sandbox_resource_mgmt", out var value))
        {
            diagnostics.Warning(
                "runtime.static_sandbox_resource_mgmt",
                "false is ignored with confidential_guest = true: a TEE guest cannot hot-plug CPUs or memory, so it is sized before boot",
                value.Position);
        }

        return runtime with { StaticSandboxResourceMgmt = true };
    }

    private static HypervisorConfig? BindHypervisor(TomlTable root, DiagnosticBag diagnostics, Dictionary<string, TomlValue> unmodelled)
    {
        const string Expected = "expected exactly one [hypervisor.qemu] or [hypervisor.clh] section";
        if (!root.TryGetValue("hypervisor", out var value))
        {
            diagnostics.Error("hypervisor", $"missing: {Expected}", root.Position);
            return null;
        }

        if (value is not TomlTable hypervisors)
        {
            diagnostics.Error("hypervisor", $"{Expected}, found {ValueText.Describe(value)}", value.Position);
            return null;
        }

        HypervisorConfig? chosen = null;
        string? chosenName = null;
        TomlPosition chosenPosition = default;
        foreach (var (name, section) in hypervisors)
        {
            var key = $"hypervisor.{name}";
            var position = section.Position;
            if (!ConfigChoices.HypervisorKind.TryParse(name, out var kind))
            {
                if (OtherKataHypervisors.Contains(name, StringComparer.Ordinal))
                {
                    diagnostics.Error(key, "Sealpod drives QEMU ([hypervisor.qemu]) and Cloud Hypervisor ([hypervisor.clh]) only", position);
                }
                else
                {
                    var suggestion = KeySuggester.Suggest(name, ConfigChoices.HypervisorKind.Names);
                    var hint = suggestion is null ? string.Empty : $" (did you mean [hypervisor.{suggestion}]?)";
                    diagnostics.Error(key, $"unknown hypervisor type; {Expected}{hint}", position);
                }

                continue;
            }

            if (section is not TomlTable table)
            {
                diagnostics.Error(key, $"expected a table ([{key}]), found {ValueText.Describe(section)}", section.Position);
                continue;
            }

            // Bind every section, even a surplus one, so its own mistakes are reported in the same pass.
            var bound = HypervisorBinder.Bind(kind, new SectionReader(table, key, diagnostics), unmodelled);
            if (chosen is null)
            {
                chosen = bound;
                chosenName = key;
                chosenPosition = table.Position;
            }
            else
            {
                diagnostics.Error(key, $"only one [hypervisor.*] section is allowed; [{chosenName}] is already defined at {chosenPosition}", table.Position);
            }
        }

        if (chosen is null && hypervisors.Count == 0)
        {
            diagnostics.Error("hypervisor", $"empty: {Expected}", value.Position);
        }

        return chosen;
    }

    private static AgentConfig BindAgent(TomlTable root, DiagnosticBag diagnostics, Dictionary<string, TomlValue> unmodelled)
    {
        var agents = Section(root, "agent", diagnostics);
        AgentConfig? result = null;
        foreach (var (name, section) in agents.Table)
        {
            var key = $"agent.{name}";
            if (section is not TomlTable table)
            {
                diagnostics.Error(key, $"expected a table ([{key}]), found {ValueText.Describe(section)}", section.Position);
                continue;
            }

            if (!string.Equals(name, "kata", StringComparison.Ordinal))
            {
                diagnostics.Warning(key, "unknown agent type, ignored (the agent section is [agent.kata])", agents.Table.GetKeyPosition(name));
                continue;
            }

            result = AgentBinder.Bind(name, new SectionReader(table, key, diagnostics), unmodelled);
        }

        return result ?? new AgentConfig();
    }

    private static SectionReader Section(TomlTable root, string name, DiagnosticBag diagnostics)
    {
        if (!root.TryGetValue(name, out var value))
        {
            return new SectionReader(EmptyTable, name, diagnostics);
        }

        if (value is TomlTable table)
        {
            return new SectionReader(table, name, diagnostics);
        }

        diagnostics.Error(name, $"expected a table ([{name}]), found {ValueText.Describe(value)}", value.Position);
        return new SectionReader(EmptyTable, name, diagnostics);
    }
}
