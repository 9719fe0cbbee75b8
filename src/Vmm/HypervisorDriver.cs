namespace Sealpod.Vmm;

/// <summary>
/// What every driver kind does the same way around its own part: refuses a section of another hypervisor, and checks
/// the runtime directory before cleaning up after a lost shim.
/// </summary>
/// <typeparam name="TConfig">The driver's section type.</typeparam>
public abstract class HypervisorDriver<TConfig> : IHypervisorDriver
    where TConfig : HypervisorConfig
{
    private readonly string _hypervisor;
    private readonly string _section;

    /// <param name="kind">The kind this driver serves.</param>
    /// <param name="hypervisor">The hypervisor's name in messages.</param>
    /// <param name="section">The driver's section name (<c>qemu</c> for <c>[hypervisor.qemu]</c>).</param>
    private protected HypervisorDriver(HypervisorKind kind, string hypervisor, string section)
    {
        Kind = kind;
        _hypervisor = hypervisor;
        _section = section;
    }

    /// <inheritdoc />
    public HypervisorKind Kind { get; }

    /// <inheritdoc />
    public IHypervisor Create(HypervisorConfig config, TeePlan tee, HypervisorFactoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (config is not TConfig typed)
        {
            throw new ArgumentException($"the {_hypervisor} driver takes a [hypervisor.{_section}] section, not {config?.Kind.ToString() ?? "null"}", nameof(config));
        }

        return CreateFor(typed, tee, options);
    }

    /// <inheritdoc />
    public async Task<OrphanCleanup> CleanupOrphansAsync(string runtimeDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runtimeDirectory);
        return await OrphanVm.CleanupAsync(FilesIn(runtimeDirectory), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Makes the driver for one VM from the driver's own section.</summary>
    private protected abstract IHypervisor CreateFor(TConfig config, TeePlan tee, HypervisorFactoryOptions options);

    /// <summary>The files a VM of this kind makes in <paramref name="runtimeDirectory"/>: what a cleanup after a lost shim looks for.</summary>
    private protected abstract IVmFiles FilesIn(string runtimeDirectory);
}
