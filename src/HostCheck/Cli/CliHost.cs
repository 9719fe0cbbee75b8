namespace Sealpod.HostCheck.Cli;

/// <summary>What the CLI runs against: the host probe, the configuration loader and the output streams.</summary>
public sealed record CliHost
{
    /// <summary>Where packages install the shipped configurations.</summary>
    public const string InstalledConfigDirectory = "/usr/share/defaults/sealpod";

    public required IHostProbe Probe { get; init; }

    public required IRuntimeConfigLoader ConfigLoader { get; init; }

    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    /// <summary>Colour the human output (stdout is a terminal and NO_COLOR is unset).</summary>
    public bool Color { get; init; }

    /// <summary>PATH used to find the shim when containerd is not running; this process's PATH when null.</summary>
    public string? SearchPath { get; init; }

    /// <summary>This machine's CPUID: <c>measure</c> reads the CPU signature a <c>-cpu host</c> SEV guest gets.</summary>
    public Sealpod.Tee.Host.ICpuid Cpuid { get; init; } = Sealpod.Tee.Host.X86Cpuid.Instance;

    /// <summary>The directory <c>containerd-config</c> and <c>runtimeclass</c> read when given no --config/--configs-dir.</summary>
    public string ConfigDirectory { get; init; } = InstalledConfigDirectory;
}
