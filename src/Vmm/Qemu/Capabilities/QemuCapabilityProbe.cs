using CliWrap;
using CliWrap.Buffered;

namespace Sealpod.Vmm.Qemu.Capabilities;

/// <summary>
/// Asks a QEMU binary what it can do (<c>--version</c>, <c>-object help</c>, <c>-object NAME,help</c>) instead of
/// guessing from its version, and refuses a TEE launch the binary cannot carry out before the VM is started, naming
/// the key and the QEMU release that would be needed. Answers are cached per binary path, modification time and size,
/// so replacing the binary is noticed; one instance is shared by all VMs of a runtime.
/// </summary>
public sealed partial class QemuCapabilityProbe
{
    // Safety net against a wedged binary; QEMU answers these in milliseconds.
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<(string Path, DateTime Modified, long Size, string Query), Lazy<Task<string>>> _answers = new();

    /// <summary>The binary's version and object list.</summary>
    public async Task<QemuBinaryInfo> DescribeAsync(string qemuPath, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(qemuPath);
        var version = await QueryAsync(qemuPath, ["--version"], cancellationToken).ConfigureAwait(false);
        var objects = await QueryAsync(qemuPath, ["-object", "help"], cancellationToken).ConfigureAwait(false);
        var match = VersionPattern().Match(version);
        return new QemuBinaryInfo(qemuPath, match.Success ? match.Groups[1].Value : "unknown", ParseList(objects));
    }

    /// <summary>The properties <c>-object TYPE,help</c> lists (QEMU lists only documented ones).</summary>
    public async Task<IReadOnlySet<string>> ObjectPropertiesAsync(string qemuPath, string objectType, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(qemuPath);
        ArgumentException.ThrowIfNullOrEmpty(objectType);
        var help = await QueryAsync(qemuPath, ["-object", objectType + ",help"], cancellationToken).ConfigureAwait(false);
        return help.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Contains('=', StringComparison.Ordinal) && !l.EndsWith(':'))
            .Select(l => l[..l.IndexOf('=', StringComparison.Ordinal)])
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Throws unless the QEMU at <c>path</c> can launch <paramref name="tee"/> as planned.</summary>
    /// <exception cref="HypervisorConfigurationException">Names the key, the binary, its version and the version needed.</exception>
    public async Task RequireAsync(string qemuPath, TeeLaunch tee, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tee);
        if (QemuTeeObject.For(tee.Kind) is not { } needed)
        {
            return;
        }

        QemuBinaryInfo info;
        try
        {
            info = await DescribeAsync(qemuPath, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or TimeoutException)
        {
            throw new HypervisorConfigurationException("hypervisor.qemu.path", $"cannot ask {qemuPath} for its objects: {e.Message}", e);
        }

        if (!info.Objects.Contains(needed.ObjectType))
        {
            throw new HypervisorConfigurationException(
                "hypervisor.qemu.path",
                $"{info.Describe()} has no {needed.ObjectType} object: {TeeNames.Describe(tee.Kind)} ({needed.ConfigurationKey}) needs QEMU {needed.MinimumVersion} or newer; point path at such a QEMU");
        }

        switch (tee)
        {
            case SevSnpLaunch { CertsPath: { } certs }:
                if (!(await ObjectPropertiesAsync(qemuPath, needed.ObjectType, cancellationToken).ConfigureAwait(false)).Contains("certs-path"))
                {
                    throw new HypervisorConfigurationException(
                        "hypervisor.qemu.snp_certs_path",
                        $"is set ({certs}), but {info.Describe()} has no sev-snp-guest property certs-path (only AMD's QEMU branch has it): unset snp_certs_path or use that QEMU");
                }

                break;
            case SevLaunch { KernelHashes: true }:
                if (!(await ObjectPropertiesAsync(qemuPath, needed.ObjectType, cancellationToken).ConfigureAwait(false)).Contains("kernel-hashes"))
                {
                    throw new HypervisorConfigurationException(
                        "hypervisor.qemu.guest_pre_attestation",
                        $"needs the launch measurement to cover the kernel, but {info.Describe()} has no sev-guest property kernel-hashes (QEMU 6.2 or newer)");
                }

                break;
        }
    }

    private static HashSet<string> ParseList(string help) =>
        help.Split('\n')
            .Where(l => l.StartsWith("  ", StringComparison.Ordinal))
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.Contains(' ', StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);

    private Task<string> QueryAsync(string qemuPath, string[] arguments, CancellationToken cancellationToken)
    {
        var file = new FileInfo(qemuPath);
        if (!file.Exists)
        {
            throw new InvalidOperationException($"{qemuPath} does not exist");
        }

        var key = (file.FullName, file.LastWriteTimeUtc, file.Length, string.Join(' ', arguments));
        var answer = _answers.GetOrAdd(key, _ => new Lazy<Task<string>>(() => RunAsync(qemuPath, arguments)));
        var task = answer.Value;

        // A failed query is not cached: the next VM asks again.
        if (task.IsFaulted || task.IsCanceled)
        {
            _answers.TryRemove(new KeyValuePair<(string, DateTime, long, string), Lazy<Task<string>>>(key, answer));
        }

        return task.WaitAsync(cancellationToken);
    }

    private static async Task<string> RunAsync(string qemuPath, string[] arguments)
    {
        // stdin is an empty pipe, closed at once; the limit kills the process tree.
        using var limit = new CancellationTokenSource(QueryTimeout);
        BufferedCommandResult result;
        try
        {
            result = await Cli.Wrap(qemuPath)
                .WithArguments(arguments)
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(limit.Token)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            throw new TimeoutException($"{qemuPath} {string.Join(' ', arguments)} did not answer within {QueryTimeout.TotalSeconds:0} s");
        }

        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{qemuPath} {string.Join(' ', arguments)} exited with {result.ExitCode}: {result.StandardError.Trim()}");
        }

        return result.StandardOutput;
    }

    [GeneratedRegex(@"version\s+([0-9]+\.[0-9]+(?:\.[0-9]+)?)", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();
}
