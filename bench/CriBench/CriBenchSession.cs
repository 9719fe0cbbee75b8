namespace Sealpod.Bench.Cri;

/// <summary>
/// What every CriBench mode starts with: the source tree's paths, a private containerd with CRI in a network namespace
/// of its own (configured by the mode, e.g. with a snapshotter), and the kubelet-like <see cref="PodRunner"/> on it.
/// Disposing stops containerd and removes everything under it.
/// </summary>
public sealed class CriBenchSession : IAsyncDisposable
{
    private CriBenchSession(CriHarnessPaths paths, CriContainerd containerd)
    {
        Paths = paths;
        Containerd = containerd;
        Pods = new PodRunner(containerd);
    }

    public CriHarnessPaths Paths { get; }

    public CriContainerd Containerd { get; }

    public PodRunner Pods { get; }

    public static async Task<CriBenchSession> StartAsync(CancellationToken cancellationToken, Func<CriContainerdConfig, CriContainerdConfig>? configure = null)
    {
        var paths = CriHarnessPaths.FromSourceTree(AppContext.BaseDirectory);
        return new CriBenchSession(paths, await CriContainerd.StartAsync(paths, configure, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The machine a figure was taken on: CPUs, the accelerator, the load average when it was printed.</summary>
    public static string Machine()
    {
        string accelerator = File.Exists("/dev/kvm") ? "/dev/kvm present (the shim probes it; TCG when unusable)" : "no /dev/kvm: TCG";
        string load = File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
        return string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} CPUs, {accelerator}, load average {load}");
    }

    public ValueTask DisposeAsync() => Containerd.DisposeAsync();
}
