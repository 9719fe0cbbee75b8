namespace Sealpod.Vmm.Qemu;

/// <summary>
/// The argv of QEMU's C virtiofsd (<c>/usr/lib/qemu/virtiofsd</c>) serving one sandbox's shared directory:
/// <c>--socket-path=SOCK -o source=DIR -o cache=MODE</c>, then the configured <c>virtio_fs_extra_args</c> (which
/// Config's validator limits to tuning options, never source, socket or sandbox ones). The socket is virtiofsd's (it
/// listens, QEMU connects).
/// </summary>
public sealed record VirtiofsdCommandLine(string SocketPath, string SharedDirectory)
{
    /// <summary>The cache mode (<c>virtio_fs_cache</c>).</summary>
    public VirtioFsCacheMode Cache { get; init; } = VirtioFsCacheMode.Auto;

    /// <summary>Extra arguments appended verbatim (<c>virtio_fs_extra_args</c>), one argv entry each.</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    /// <summary>Renders the arguments (without the binary).</summary>
    /// <exception cref="HypervisorConfigurationException">The cache mode has no C virtiofsd equivalent.</exception>
    public IReadOnlyList<string> Build()
    {
        // C virtiofsd knows none/auto/always; "never" is Kata's name for none. "metadata" exists only in the Rust daemon.
        var cache = Cache switch
        {
            VirtioFsCacheMode.Never => "none",
            VirtioFsCacheMode.Auto => "auto",
            VirtioFsCacheMode.Always => "always",
            _ => throw new HypervisorConfigurationException("hypervisor.qemu.virtio_fs_cache",
                $"\"{ConfigChoices.VirtioFsCache.NameOf(Cache)}\" is not supported by this virtiofsd: expected \"never\", \"auto\" or \"always\""),
        };

        // -o values are split on commas by virtiofsd's option parser too; a comma in the directory would inject options.
        if (SharedDirectory.Contains(',', StringComparison.Ordinal))
        {
            throw new ArgumentException($"shared directory '{SharedDirectory}' contains a comma, which virtiofsd's -o parser would split", nameof(SharedDirectory));
        }

        return ["--socket-path=" + SocketPath, "-o", "source=" + SharedDirectory, "-o", "cache=" + cache, .. ExtraArguments];
    }

    /// <summary>The command line for a sandbox from its configuration.</summary>
    public static VirtiofsdCommandLine For(QemuConfig config, string socketPath, string sharedDirectory)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new VirtiofsdCommandLine(socketPath, sharedDirectory) { Cache = config.VirtioFsCache, ExtraArguments = config.VirtioFsExtraArgs.ToArray() };
    }
}
