using Sealpod.HostCheck.Env;
using Sealpod.HostCheck.Output;
using Sealpod.HostCheck.Snippets;

namespace Sealpod.HostCheck.Cli;

/// <summary>
/// The <c>sealpod</c> command line: check, env, containerd-config, runtimeclass, measure. Exit status 0 on success, 1 when a
/// check FAILs or a configuration cannot be used, 2 on a usage error.
/// </summary>
public static class SealpodCli
{
    public const int ExitOk = 0;
    public const int ExitFailed = 1;
    public const int ExitUsage = 2;

    private static readonly string Usage = $"""
        usage: sealpod <command> [options]

        commands:
          check              check that this host can run Sealpod (and a configuration)
              --config FILE              runtime configuration (default: the shim's search order)
              --containerd-config FILE   containerd's config.toml (default /etc/containerd/config.toml)
              --json                     machine-readable report (docs/sealpod-check.md)
              --verbose, -v              show evidence for every check, not only WARN and FAIL
          env                the effective configuration, versions and guest protections
              --config FILE, --json
          containerd-config  containerd runtime entries for the shipped configurations
          runtimeclass       Kubernetes RuntimeClass manifests for the shipped configurations
              --config FILE (repeatable)  configurations to render (default: every configuration*.toml in
                                          /usr/share/defaults/sealpod, or --configs-dir DIR)
              --install-dir DIR           write ConfigPath as DIR/<file name> (e.g. --configs-dir configs
                                          --install-dir /usr/share/defaults/sealpod when packaging)
              --containerd-version 2|3    containerd-config only: config version (2 = containerd 1.x, default)
              --guest-pull                containerd-config only: also the Sealpod snapshotter's proxy plugin and
                                          CRI's snapshotter settings (image layers pulled in the guest)
              --snapshotter-address SOCK  with --guest-pull: sealpod-snapshotter's socket
                                          (default /run/sealpod-snapshotter/snapshotter.sock)
        {Measure.MeasureCommand.Usage}

        exit status: 0 ok, 1 a check failed or a configuration is unusable, 2 usage error
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliHost host, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(host);
        if (args.Count == 0 || args[0] is "help" or "--help" or "-h")
        {
            (args.Count == 0 ? host.Error : host.Out).WriteLine(Usage);
            return args.Count == 0 ? ExitUsage : ExitOk;
        }

        var rest = args.Skip(1).ToArray();
        try
        {
            return args[0] switch
            {
                "check" => await CheckAsync(rest, host, cancellationToken).ConfigureAwait(false),
                "env" => await EnvAsync(rest, host, cancellationToken).ConfigureAwait(false),
                "containerd-config" => await SnippetsAsync(rest, host, containerd: true, cancellationToken).ConfigureAwait(false),
                "runtimeclass" => await SnippetsAsync(rest, host, containerd: false, cancellationToken).ConfigureAwait(false),
                "measure" => await Measure.MeasureCommand.RunAsync(rest, host, cancellationToken).ConfigureAwait(false),
                "--version" or "version" => Version(host),
                _ => throw new CliUsageException($"unknown command '{args[0]}'"),
            };
        }
        catch (CliUsageException e)
        {
            host.Error.WriteLine($"sealpod: {e.Message}");
            host.Error.WriteLine("run 'sealpod help' for usage");
            return ExitUsage;
        }
    }

    private static int Version(CliHost host)
    {
        host.Out.WriteLine($"sealpod {typeof(SealpodCli).Assembly.GetName().Version?.ToString(3) ?? "unknown"}");
        return ExitOk;
    }

    private static async Task<int> CheckAsync(string[] args, CliHost host, CancellationToken cancellationToken)
    {
        var options = CliOptions.Parse(args, new HashSet<string> { "--json", "--verbose", "-v" }, new HashSet<string> { "--config", "--containerd-config" });
        var config = await host.ConfigLoader.LoadAsync(options.Value("--config"), Host.HostFacts.Gather(host.Probe), cancellationToken).ConfigureAwait(false);
        var context = new CheckContext(host.Probe, config, options.Value("--containerd-config"), host.SearchPath);
        var report = await new HostChecker().RunAsync(context, cancellationToken).ConfigureAwait(false);
        if (options.Has("--json"))
        {
            host.Out.WriteLine(CheckReportJson.ToJson(report));
        }
        else
        {
            CheckReportTable.Write(host.Out, report, new Ansi(host.Color), options.Has("--verbose") || options.Has("-v"));
        }

        return report.ExitCode;
    }

    private static async Task<int> EnvAsync(string[] args, CliHost host, CancellationToken cancellationToken)
    {
        var options = CliOptions.Parse(args, new HashSet<string> { "--json" }, new HashSet<string> { "--config" });
        var config = await host.ConfigLoader.LoadAsync(options.Value("--config"), Host.HostFacts.Gather(host.Probe), cancellationToken).ConfigureAwait(false);
        var report = await EnvCollector.CollectAsync(host.Probe, config, cancellationToken).ConfigureAwait(false);
        if (options.Has("--json"))
        {
            host.Out.WriteLine(EnvReportWriter.ToJson(report));
        }
        else
        {
            EnvReportWriter.WriteText(host.Out, report, new Ansi(host.Color));
        }

        // An explicit configuration that does not load is an error; a missing default is just reported.
        return config.Errors.Count > 0 ? ExitFailed : ExitOk;
    }

    private static async Task<int> SnippetsAsync(string[] args, CliHost host, bool containerd, CancellationToken cancellationToken)
    {
        var valueOptions = new HashSet<string> { "--config", "--configs-dir", "--install-dir" };
        var flags = new HashSet<string>();
        if (containerd)
        {
            valueOptions.Add("--containerd-version");
            valueOptions.Add("--snapshotter-address");
            flags.Add("--guest-pull");
        }

        var options = CliOptions.Parse(args, flags, valueOptions);
        var version = options.Value("--containerd-version") switch
        {
            null or "2" => 2,
            "3" => 3,
            var other => throw new CliUsageException($"--containerd-version must be 2 or 3, got '{other}'"),
        };

        var guestPull = options.Has("--guest-pull");
        if (options.Value("--snapshotter-address") is { } given && (!guestPull || !Path.IsPathFullyQualified(given)))
        {
            throw new CliUsageException($"--snapshotter-address must be an absolute socket path and goes with --guest-pull, got '{given}'");
        }

        var files = SnippetConfigFiles(options, host);
        var failed = false;
        foreach (var file in files)
        {
            var outcome = await host.ConfigLoader.LoadAsync(file, host: null, cancellationToken).ConfigureAwait(false);
            if (outcome.Facts is not { } facts)
            {
                failed = true;
                host.Error.WriteLine($"sealpod: {file}: cannot be used:");
                foreach (var error in outcome.Errors)
                {
                    host.Error.WriteLine($"  {error}");
                }

                continue;
            }

            // Rendering from the source tree for a package: name the path the file will have once installed.
            var configPath = options.Value("--install-dir") is { } installDir ? Path.Join(installDir, Path.GetFileName(file)) : file;
            host.Out.Write(containerd ? ContainerdSnippet.Render(facts, configPath, version, guestPull) : RuntimeClassManifest.Render(facts, configPath));
            if (containerd)
            {
                host.Out.WriteLine();
            }
        }

        if (guestPull)
        {
            host.Out.Write(SnapshotterSnippet.Render(options.Value("--snapshotter-address") ?? SnapshotterSnippet.DefaultAddress, version));
        }

        return failed ? ExitFailed : ExitOk;
    }

    private static IReadOnlyList<string> SnippetConfigFiles(CliOptions options, CliHost host)
    {
        if (options.Values("--config") is { Count: > 0 } explicitFiles)
        {
            return explicitFiles.Select(Path.GetFullPath).ToArray();
        }

        var directory = Path.GetFullPath(options.Value("--configs-dir") ?? host.ConfigDirectory);
        var files = Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "configuration*.toml").Order(StringComparer.Ordinal).ToArray()
            : [];
        return files.Length > 0
            ? files
            : throw new CliUsageException($"no configuration*.toml in {directory}: pass --config FILE or --configs-dir DIR");
    }
}
