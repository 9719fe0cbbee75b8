namespace Sealpod.Bench.Cri;

/// <summary>
/// RunPodSandbox to the first HTTP byte from the pod IP, for runc and sealpod in one run on one containerd,
/// alternating the handlers each round so that both see the same machine load. A round: RunPodSandbox,
/// CreateContainer, StartContainer of busybox httpd, then GETs from the node side until the first byte of a 200.
/// The pod is removed (and checked gone) between rounds, outside the measured time.
/// </summary>
public static class Benchmark
{
    public static async Task<int> RunAsync(CriBenchOptions options, CancellationToken cancellationToken)
    {
        await using var session = await CriBenchSession.StartAsync(cancellationToken);
        var pods = session.Pods;
        var samples = options.Handlers.ToDictionary(h => h, _ => new Samples());
        Console.Error.WriteLine($"{options.Rounds} rounds, {string.Join(" and ", options.Handlers)} alternating; containerd in {session.Containerd.Network.Name}");

        // One unmeasured pod each first: the images' first unpack and the shim's first start are not what is measured.
        foreach (var handler in samples.Keys)
        {
            await MeasureAsync(pods, handler, "warmup", cancellationToken);
        }

        for (int round = 1; round <= options.Rounds; round++)
        {
            foreach (var handler in round % 2 == 1 ? samples.Keys.ToList() : samples.Keys.Reverse().ToList())
            {
                double ms = await MeasureAsync(pods, handler, $"r{round}", cancellationToken);
                samples[handler].Add(ms);
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round} {handler}: {ms:F0} ms"));
            }
        }

        Console.WriteLine($"RunPodSandbox to first HTTP byte from the pod IP, {options.Rounds} rounds ({CriBenchSession.Machine()})");
        Console.WriteLine("| handler | median | min | max | spread (max-min) |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var (handler, values) in samples)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {handler} | {values.Median:F0} ms | {values.Min:F0} ms | {values.Max:F0} ms | {values.Max - values.Min:F0} ms |"));
        }

        return 0;
    }

    private static async Task<double> MeasureAsync(PodRunner pods, string handler, string tag, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var pod = await pods.RunHttpPodAsync($"bench-{handler}-{tag}", handler, cancellationToken: cancellationToken);
        try
        {
            var started = clock.Elapsed;
            // GetAsync's time is from its own first attempt to the first byte of the 200.
            var (_, firstByte) = await pods.GetAsync(pod.PodIp, PodConfigs.HttpPort, TimeSpan.FromSeconds(180), cancellationToken);
            return (started + firstByte).TotalMilliseconds;
        }
        finally
        {
            await pods.RemoveAsync(pod.SandboxId, times: 1, cancellationToken);
            await pods.Containerd.AssertNothingLeftAsync([pod.SandboxId], cancellationToken);
        }
    }
}
