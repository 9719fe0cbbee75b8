using Sealpod.TestSupport;
using Sealpod.TestSupport.Registry;

namespace Sealpod.Bench.Cri;

/// <summary>
/// One containerd of the pull benchmark with its own registry: Debian's docker-registry in containerd's network
/// namespace, listening on every address so a VM's guest reaches it at the CNI bridge (<see cref="Registry"/>) and
/// containerd on loopback (a CRI mirror), holding the benchmark's image (and, for the snapshotter, the sandbox image:
/// CRI pulls that through the snapshotter too). Disposing stops the registry, then containerd.
/// </summary>
public sealed class PullSite : IAsyncDisposable
{
    /// <summary>The registry as pods and containerd name it.</summary>
    public static readonly string Registry = PodRegistry.Bridge;

    private readonly RegistryHarness _registry;

    private PullSite(CriBenchSession session, RegistryHarness registry, string reference)
    {
        Session = session;
        _registry = registry;
        Reference = reference;
    }

    public CriBenchSession Session { get; }

    /// <summary>The benchmark image's reference, as the guest and CRI pull it.</summary>
    public string Reference { get; }

    /// <param name="snapshotterSocket">A sealpod-snapshotter's socket for CRI's snapshotter, or null for overlayfs.</param>
    /// <param name="pause">With a snapshotter: the sandbox image, pushed to the registry (the imported one lives in overlayfs).</param>
    public static async Task<PullSite> StartAsync(string? snapshotterSocket, PullBenchImage image, OciLayoutImage? pause, CancellationToken cancellationToken)
    {
        var session = await CriBenchSession.StartAsync(cancellationToken, config => config with
        {
            SnapshotterAddress = snapshotterSocket,
            PlainHttpRegistry = Registry,
            PlainHttpRegistryEndpoint = PodRegistry.Loopback,
            SandboxImage = pause is null ? config.SandboxImage : Registry + "/sealpod/pause:" + pause.Tag,
        });
        RegistryHarness? registry = null;
        try
        {
            registry = await RegistryHarness.CreateAsync(SystemProcessRunner.Instance, session.Containerd.Network.Path, [], cancellationToken);
            RunningRegistry running = await registry.StartAsync(new RegistryOptions { Listen = PodRegistry.Listen }, cancellationToken);
            if (pause is not null)
            {
                await registry.PushAsync(pause.Source, running, "sealpod/pause:" + pause.Tag, cancellationToken);
            }

            string pushed = await registry.PushAsync(image.Layout.Source, running, "sealpod/pullbench:" + image.Layout.Tag, cancellationToken);
            return new PullSite(session, registry, PodRegistry.AsPodsNameIt(pushed));
        }
        catch
        {
            if (registry is not null)
            {
                await registry.DisposeAsync();
            }

            await session.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _registry.DisposeAsync();
        await Session.DisposeAsync();
    }
}
