using Sealpod.CriHarness.V1;

namespace Sealpod.Bench.Cri;

/// <summary>
/// `make bench-pull` (issue 13): time to the first container start of an image of a few tens of MB pulled from a
/// registry, in one run on one machine, for three ways of getting it: runc with containerd pulling and unpacking on
/// the host; sealpod with <c>experimental_force_guest_pull</c> (CRI still pulls on the host, then the guest pulls
/// again: Kata's double pull); sealpod with sealpod-snapshotter as CRI's snapshotter (the host fetches only the
/// manifest and config, the guest pulls the layers). Two containerds run side by side, each in its own network
/// namespace with its own docker-registry: one with overlayfs (runc and force pull), one with the snapshotter.
/// A round, timed as a kubelet's calls: PullImage, then RunPodSandbox, CreateContainer, StartContainer of the harness's
/// busybox httpd from that image, then GETs from the pod IP until the first byte of its page. Between rounds, outside
/// the measured time, the pod is removed (and checked gone) and so is the image, until its layer blobs have left the
/// content store, so that every round pulls again. The targets alternate their order every round.
/// </summary>
public static class PullBenchmark
{
    public static async Task<int> RunAsync(CriBenchOptions options, CancellationToken cancellationToken)
    {
        var work = Directory.CreateTempSubdirectory("sp-pullbench-");
        try
        {
            return await RunInAsync(work.FullName, options, cancellationToken);
        }
        finally
        {
            // Never delete through a mount point: containerd's teardown unmounted what it made.
            if (HostScan.MountsUnder([work.FullName + "/"]) is { Count: > 0 } mounts)
            {
                Console.Error.WriteLine($"pull bench: {work.FullName} kept, still mounted under it: {string.Join(", ", mounts)}");
            }
            else
            {
                work.Delete(recursive: true);
            }
        }
    }

    private static async Task<int> RunInAsync(string work, CriBenchOptions options, CancellationToken cancellationToken)
    {
        var image = await PullBenchImage.WriteAsync(Path.Combine(work, "image"), options.DataLayers, options.LayerMiB, cancellationToken);
        var pause = await OciLayoutImage.WriteAsync(Path.Combine(work, "pause"), "1", cancellationToken, runnable: true);
        var paths = CriHarnessPaths.FromSourceTree(AppContext.BaseDirectory);
        await using var snapshotter = await SnapshotterProcess.StartAsync(paths.SnapshotterBinary, Path.Combine(work, "snapshotter"), cancellationToken);
        await using var host = await PullSite.StartAsync(snapshotterSocket: null, image, pause: null, cancellationToken);
        await host.Session.Containerd.ForceGuestPullAsync(cancellationToken);
        await using var guest = await PullSite.StartAsync(snapshotter.Socket, image, pause, cancellationToken);
        PullTarget[] targets =
        [
            new("runc", "runc: containerd pulls and unpacks on the host", host, CriHandlers.Runc, HostPullsLayers: true),
            new("force", "sealpod, experimental_force_guest_pull: the host pulls (CRI), then the guest", host, CriHandlers.Sealpod, HostPullsLayers: true),
            new("snap", "sealpod + sealpod-snapshotter: only the guest pulls the layers", guest, CriHandlers.Sealpod, HostPullsLayers: false),
        ];
        var samples = targets.ToDictionary(t => t, _ => new PullSamples());
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"image {image.Layout.ManifestDigest}: {image.LayerDigests.Count} layers, {image.CompressedBytes / 1048576.0:F1} MiB compressed; {options.Rounds} rounds; containerd in {host.Session.Containerd.Network.Name} and {guest.Session.Containerd.Network.Name}"));

        // One unmeasured round each first: the shim's and the snapshotter's first start, the sandbox images, the page cache.
        foreach (var target in targets)
        {
            await MeasureAsync(target, image, "warmup", cancellationToken);
        }

        for (int round = 1; round <= options.Rounds; round++)
        {
            foreach (var target in round % 2 == 1 ? targets : Enumerable.Reverse(targets))
            {
                var result = await MeasureAsync(target, image, $"r{round}", cancellationToken);
                samples[target].Add(result);
                Console.Error.WriteLine($"round {round} {target.Key}: {result}");
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Time to first container start, image of {image.LayerDigests.Count} layers, {image.CompressedBytes / 1048576.0:F1} MiB compressed, pulled from a registry in the benchmark's network namespace; {options.Rounds} rounds, median (min–max) ({CriBenchSession.Machine()})"));
        Console.WriteLine("| configuration | PullImage (CRI, host) | RunPodSandbox + CreateContainer + StartContainer | to StartContainer returned | to first HTTP byte |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var target in targets)
        {
            var s = samples[target];
            Console.WriteLine($"| {target.Description} | {s.Pull.Cell()} | {s.Run.Cell()} | {s.Started.Cell()} | {s.FirstByte.Cell()} |");
        }

        return 0;
    }

    private static async Task<PullRound> MeasureAsync(PullTarget target, PullBenchImage image, string tag, CancellationToken cancellationToken)
    {
        var containerd = target.Site.Session.Containerd;
        var pods = target.Site.Session.Pods;
        var clock = Stopwatch.StartNew();
        await containerd.Images.PullImageAsync(new PullImageRequest { Image = new ImageSpec { Image = target.Site.Reference } }, CriContainerd.Deadline(PodRunner.CallTimeout, cancellationToken));
        var pulled = clock.Elapsed;
        RunningPod? pod = null;
        try
        {
            pod = await pods.RunHttpPodAsync(
                $"pull-{target.Key}-{tag}",
                target.Handler,
                shape: config =>
                {
                    config.Annotations[GuestPullInitData.Annotation] = GuestPullInitData.ForInsecureRegistry(PullSite.Registry);
                    return config;
                },
                shapeContainer: container =>
                {
                    container.Image = new ImageSpec { Image = target.Site.Reference };
                    return container;
                },
                cancellationToken);
            var started = clock.Elapsed;
            var (body, _) = await pods.GetAsync(pod.PodIp, PodConfigs.HttpPort, TimeSpan.FromSeconds(180), cancellationToken);
            var firstByte = clock.Elapsed;
            Expect(body.Contains(pod.Page, StringComparison.Ordinal), $"{target.Key} {tag}: the page is '{body.Trim()}', expected '{pod.Page}'");
            var held = LayerBlobs(containerd, image);
            Expect(held.Count == (target.HostPullsLayers ? image.LayerDigests.Count : 0),
                $"{target.Key} {tag}: the host's content store holds {held.Count} of the image's {image.LayerDigests.Count} layer blobs, expected {(target.HostPullsLayers ? "all" : "none")}");
            return new PullRound(pulled, started - pulled, started, firstByte);
        }
        finally
        {
            if (pod is not null)
            {
                await pods.RemoveAsync(pod.SandboxId, times: 1, cancellationToken);
                await containerd.AssertNothingLeftAsync([pod.SandboxId], cancellationToken);
            }

            await RemoveImageAsync(containerd, target.Site.Reference, image, cancellationToken);
        }
    }

    /// <summary>RemoveImage, then waits (containerd's garbage collection) until no layer blob of the image is left, so the next round pulls.</summary>
    private static async Task RemoveImageAsync(CriContainerd containerd, string reference, PullBenchImage image, CancellationToken cancellationToken)
    {
        await containerd.Images.RemoveImageAsync(new RemoveImageRequest { Image = new ImageSpec { Image = reference } }, CriContainerd.Deadline(TimeSpan.FromSeconds(60), cancellationToken));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (LayerBlobs(containerd, image).Count > 0 || BlobExists(containerd, image.Layout.ManifestDigest))
        {
            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"{reference}: removed, but its blobs are still in {ContentDirectory(containerd)} after 60 s");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    private static List<string> LayerBlobs(CriContainerd containerd, PullBenchImage image) =>
        image.LayerDigests.Where(d => BlobExists(containerd, d)).ToList();

    private static bool BlobExists(CriContainerd containerd, string digest) => File.Exists(Path.Combine(ContentDirectory(containerd), digest["sha256:".Length..]));

    private static string ContentDirectory(CriContainerd containerd) => Path.Combine(containerd.RootDirectory, "io.containerd.content.v1.content", "blobs", "sha256");

    private static void Expect(bool condition, string failure)
    {
        if (!condition)
        {
            throw new InvalidOperationException(failure);
        }
    }
}

/// <summary>One way of getting the image: a handler on one of the two containerds, and whether the host ends up holding its layers.</summary>
public sealed record PullTarget(string Key, string Description, PullSite Site, string Handler, bool HostPullsLayers);

/// <summary>One round's times from the PullImage call: PullImage returned, the pod's three calls, StartContainer returned, the first HTTP byte.</summary>
public sealed record PullRound(TimeSpan Pull, TimeSpan Run, TimeSpan Started, TimeSpan FirstByte)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"pull {Pull.TotalMilliseconds:F0} ms, sandbox+create+start {Run.TotalMilliseconds:F0} ms, started at {Started.TotalMilliseconds:F0} ms, first byte at {FirstByte.TotalMilliseconds:F0} ms");
}

/// <summary>A target's rounds, per column.</summary>
public sealed class PullSamples
{
    public Samples Pull { get; } = new();

    public Samples Run { get; } = new();

    public Samples Started { get; } = new();

    public Samples FirstByte { get; } = new();

    public void Add(PullRound round)
    {
        ArgumentNullException.ThrowIfNull(round);
        Pull.Add(round.Pull.TotalMilliseconds);
        Run.Add(round.Run.TotalMilliseconds);
        Started.Add(round.Started.TotalMilliseconds);
        FirstByte.Add(round.FirstByte.TotalMilliseconds);
    }
}
