using Sealpod.CriHarness;
using Sealpod.IntegrationTests;

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
    public static readonly string Registry = CniNetworkConfig.Gateway + ":5000";

    private readonly NamespacedRegistry _registry;

    private PullSite(CriBenchSession session, NamespacedRegistry registry, string reference)
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
    public static async Task<PullSite> StartAsync(string directory, string? snapshotterSocket, PullBenchImage image, OciLayoutImage? pause, CancellationToken cancellationToken)
    {
        var session = await CriBenchSession.StartAsync(cancellationToken, config => config with
        {
            SnapshotterAddress = snapshotterSocket,
            PlainHttpRegistry = Registry,
            PlainHttpRegistryEndpoint = NamespacedRegistry.Address,
            SandboxImage = pause is null ? config.SandboxImage : Registry + "/sealpod/pause:" + pause.Tag,
        });
        NamespacedRegistry? registry = null;
        try
        {
            registry = await NamespacedRegistry.StartAsync(session.Containerd.Network, Directory.CreateDirectory(directory).FullName, cancellationToken, listen: "0.0.0.0:5000");
            if (pause is not null)
            {
                await registry.PushAsync(pause, "sealpod/pause", cancellationToken);
            }

            string pushed = await registry.PushAsync(image.Layout, "sealpod/pullbench", cancellationToken);
            return new PullSite(session, registry, Registry + pushed[NamespacedRegistry.Address.Length..]);
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
