using Sealpod.Config.Toml;

namespace Sealpod.HostCheck.Containerd;

/// <summary>
/// Reads containerd's config.toml (through Tomlyn) and lists the CRI runtimes. Follows containerd 1.6+
/// semantics: version 1 (plugins.cri), 2 (plugins."io.containerd.grpc.v1.cri") or 3 (plugins."io.containerd.cri.v1.runtime");
/// "imports" are read after the file, and an imported file that defines the CRI plugin replaces its whole section
/// (services/server/config mergeConfig replaces plugin sections instead of merging them).
/// </summary>
public sealed class ContainerdConfigReader(IHostProbe probe)
{
    public const string SealpodRuntimeType = "io.containerd.sealpod.v2";

    private const int MaxImportDepth = 8;

    public ContainerdConfigSnapshot Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var file = probe.ReadFile(path);
        if (file.Status == FileReadStatus.NotFound)
        {
            return new ContainerdConfigSnapshot(path, ContainerdConfigStatus.Missing, 0, "", [], [], $"{path} does not exist");
        }

        if (!file.Ok)
        {
            return new ContainerdConfigSnapshot(path, ContainerdConfigStatus.Invalid, 0, "", [], [], $"{path}: {file.Error}");
        }

        TomlTable root;
        try
        {
            root = TomlReader.Parse(file.Text!, path);
        }
        catch (TomlException e)
        {
            return new ContainerdConfigSnapshot(path, ContainerdConfigStatus.Invalid, 0, "", [], [path], e.Message);
        }

        var version = root.TryGetValue("version", out var v) && v is TomlInteger integer ? integer.Value : 1;
        if (CriPluginName(version) is not { } plugin)
        {
            return new ContainerdConfigSnapshot(path, ContainerdConfigStatus.Unsupported, version, "", [], [path],
                $"{path}: config version {version} is not one containerd 1.x/2.x reads (1, 2 or 3)");
        }

        var filesRead = new List<string> { path };
        var criSource = (Table: PluginTable(root, plugin), File: path);
        try
        {
            foreach (var (importPath, imported) in ReadImports(root, path, filesRead, depth: 0))
            {
                if (PluginTable(imported, plugin) is { } replacement)
                {
                    criSource = (replacement, importPath);
                }
            }
        }
        catch (TomlException e)
        {
            return new ContainerdConfigSnapshot(path, ContainerdConfigStatus.Invalid, version, "", [], filesRead, e.Message);
        }

        var tablePrefix = $"plugins.{Quote(plugin)}.containerd.runtimes";
        var runtimes = new List<ContainerdRuntimeEntry>();
        if (criSource.Table is { } cri && Child(cri, "containerd") is { } containerd && Child(containerd, "runtimes") is { } table)
        {
            foreach (var (name, value) in table)
            {
                if (value is TomlTable runtime)
                {
                    runtimes.Add(ToEntry(name, $"{tablePrefix}.{Quote(name)}", criSource.File, runtime));
                }
            }
        }

        return new ContainerdConfigSnapshot(path, ContainerdConfigStatus.Ok, version, $"plugins.{Quote(plugin)}", runtimes, filesRead, null);
    }

    /// <summary>The key of the CRI plugin section for a config version.</summary>
    public static string? CriPluginName(long version) => version switch
    {
        1 => "cri",
        2 => "io.containerd.grpc.v1.cri",
        3 => "io.containerd.cri.v1.runtime",
        _ => null,
    };

    /// <summary>A TOML key as it must be written in a dotted header: bare when it can be, quoted otherwise.</summary>
    public static string Quote(string key) =>
        key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-') ? key : $"\"{key}\"";

    private static ContainerdRuntimeEntry ToEntry(string name, string table, string file, TomlTable runtime)
    {
        IReadOnlyList<string>? annotations = runtime.TryGetValue("pod_annotations", out var a) && a is TomlArray array
            ? array.OfType<TomlString>().Select(s => s.Value).ToArray()
            : null;
        string? configPath = Child(runtime, "options") is { } options && options.TryGetValue("ConfigPath", out var c) && c is TomlString s1
            ? s1.Value
            : null;
        return new ContainerdRuntimeEntry(
            name,
            table,
            file,
            runtime.TryGetValue("runtime_type", out var t) && t is TomlString type ? type.Value : null,
            annotations,
            runtime.TryGetValue("privileged_without_host_devices", out var p) && p is TomlBoolean b ? b.Value : null,
            configPath);
    }

    private IEnumerable<(string Path, TomlTable Table)> ReadImports(TomlTable table, string parent, List<string> filesRead, int depth)
    {
        if (depth >= MaxImportDepth || !table.TryGetValue("imports", out var value) || value is not TomlArray imports)
        {
            yield break;
        }

        foreach (var import in imports.OfType<TomlString>().Select(s => s.Value))
        {
            foreach (var path in ResolveImport(parent, import))
            {
                if (filesRead.Contains(path, StringComparer.Ordinal))
                {
                    continue;
                }

                var file = probe.ReadFile(path);
                if (!file.Ok)
                {
                    // containerd itself fails to start on a missing import; report it as a parse problem of the parent.
                    throw new TomlException(imports.Position with { File = parent }, $"import {path}: {file.Error}");
                }

                filesRead.Add(path);
                var imported = TomlReader.Parse(file.Text!, path);
                yield return (path, imported);
                foreach (var nested in ReadImports(imported, path, filesRead, depth + 1))
                {
                    yield return nested;
                }
            }
        }
    }

    private IEnumerable<string> ResolveImport(string parent, string import)
    {
        if (!import.Contains('*', StringComparison.Ordinal))
        {
            // Relative plain imports are relative to the importing file; glob patterns are used as given, as containerd does.
            return [Path.IsPathRooted(import) ? Path.GetFullPath(import) : Path.GetFullPath(Path.Join(Path.GetDirectoryName(parent), import))];
        }

        var directory = Path.GetDirectoryName(import) ?? "/";
        var pattern = Path.GetFileName(import);
        return probe.ListDirectory(directory)
            .Where(name => PathGlob.IsMatch(pattern, name))
            .Order(StringComparer.Ordinal)
            .Select(name => Path.Join(directory, name))
            .ToArray();
    }

    private static TomlTable? PluginTable(TomlTable root, string plugin) =>
        Child(root, "plugins") is { } plugins ? Child(plugins, plugin) : null;

    private static TomlTable? Child(TomlTable table, string key) =>
        table.TryGetValue(key, out var value) ? value as TomlTable : null;
}
