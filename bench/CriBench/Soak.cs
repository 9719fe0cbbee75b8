namespace Sealpod.Bench.Cri;

/// <summary>
/// `make soak`: N sealpod pods at once through CRI, for R rounds. Each round creates the N pods in parallel
/// (RunPodSandbox, CreateContainer, StartContainer of busybox httpd), exercises each (ExecSync, the container's CRI
/// log, an HTTP GET of its page from the pod IP), measures the host memory of each pod (PSS of its shim and QEMU from
/// /proc/PID/smaps_rollup), then removes them all in parallel and counts what is left (<see cref="SoakCensus"/>): any
/// leftover fails the soak. Prints time per round, memory per pod and the shims' memory per round (growth shows there).
/// </summary>
public static class Soak
{
    public static async Task<int> RunAsync(CriBenchOptions options, CancellationToken cancellationToken)
    {
        await using var session = await CriBenchSession.StartAsync(cancellationToken);
        var (containerd, pods) = (session.Containerd, session.Pods);
        var census = new SoakCensus(containerd);
        var before = await census.TakeAsync([], cancellationToken);
        Console.Error.WriteLine($"soak: {options.Pods} pods x {options.Rounds} rounds ({options.Handler}); containerd in {containerd.Network.Name}; before: {before}");
        var rounds = new List<SoakRound>();
        for (int round = 1; round <= options.Rounds; round++)
        {
            var clock = Stopwatch.StartNew();
            var names = Enumerable.Range(1, options.Pods).Select(i => $"soak-r{round}-p{i}").ToList();
            var running = await Task.WhenAll(names.Select(name => RunAndExerciseAsync(pods, name, options.Handler, cancellationToken)));
            var up = clock.Elapsed;
            var memory = running.Select(pod => PodMemory.Of(containerd, pod.SandboxId)).ToList();
            await Task.WhenAll(running.Select(pod => pods.RemoveAsync(pod.SandboxId, times: 1, cancellationToken)));
            var ids = running.Select(p => p.SandboxId).ToList();
            await containerd.AssertNothingLeftAsync(ids, cancellationToken);
            var after = await census.TakeAsync(ids, cancellationToken);
            var result = new SoakRound(round, up, clock.Elapsed, memory, after);
            rounds.Add(result);
            Console.Error.WriteLine(result.ToString());
            if (!after.Clean)
            {
                Console.Error.WriteLine($"soak: round {round} left: {after.Describe()}");
                return 1;
            }
        }

        Print(options, rounds);
        return 0;
    }

    private static async Task<RunningPod> RunAndExerciseAsync(PodRunner pods, string name, string handler, CancellationToken cancellationToken)
    {
        var pod = await pods.RunHttpPodAsync(name, handler, cancellationToken: cancellationToken);
        var (body, _) = await pods.GetAsync(pod.PodIp, PodConfigs.HttpPort, TimeSpan.FromSeconds(240), cancellationToken);
        Expect(body.Contains(pod.Page, StringComparison.Ordinal), $"{name}: the page is '{body.Trim()}', expected '{pod.Page}'");
        var exec = await pods.ExecAsync(pod.ContainerId, ["cat", "/www/index.html"], cancellationToken);
        Expect(exec.ExitCode == 0 && exec.Stdout.Contains(pod.Page, StringComparison.Ordinal), $"{name}: exec answered {exec.ExitCode}: {exec.Stdout}{exec.Stderr}");
        var log = PodRunner.ReadCriLog(pod.ContainerLogPath);
        Expect(log.Any(l => l.Stream == "stdout" && l.Text.StartsWith("httpd starting on", StringComparison.Ordinal)), $"{name}: the CRI log lacks the container's stdout line");
        return pod;
    }

    private static void Expect(bool condition, string failure)
    {
        if (!condition)
        {
            throw new InvalidOperationException(failure);
        }
    }

    private static void Print(CriBenchOptions options, List<SoakRound> rounds)
    {
        var all = rounds.SelectMany(r => r.Memory).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"soak: {options.Pods} {options.Handler} pods in parallel x {options.Rounds} rounds ({CriBenchSession.Machine()}): leftovers 0 after every round"));
        Console.WriteLine("| round | all up and exercised | round (up + removed) | PSS per pod: shim + QEMU (mean) | shim PSS (mean, max) |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var r in rounds)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Number} | {r.Up.TotalSeconds:F1} s | {r.Total.TotalSeconds:F1} s | {r.Memory.Average(m => m.ShimKiB + m.QemuKiB) / 1024:F1} MiB ({r.Memory.Average(m => m.ShimKiB) / 1024:F1} + {r.Memory.Average(m => m.QemuKiB) / 1024:F1}) | {r.Memory.Average(m => m.ShimKiB) / 1024:F1} MiB, {r.Memory.Max(m => m.ShimKiB) / 1024.0:F1} MiB |"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"mean per pod over all rounds: {all.Average(m => m.ShimKiB + m.QemuKiB) / 1024:F1} MiB PSS; shim first round {rounds[0].Memory.Average(m => m.ShimKiB) / 1024:F2} MiB, last round {rounds[^1].Memory.Average(m => m.ShimKiB) / 1024:F2} MiB"));
    }
}

/// <summary>One round: when all pods were up and exercised, when all were removed, their memory, what was left.</summary>
public sealed record SoakRound(int Number, TimeSpan Up, TimeSpan Total, IReadOnlyList<PodMemory> Memory, SoakCount Left)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"round {Number}: up {Up.TotalSeconds:F1} s, removed {Total.TotalSeconds:F1} s, PSS/pod {Memory.Average(m => m.ShimKiB + m.QemuKiB) / 1024:F1} MiB (shim {Memory.Average(m => m.ShimKiB) / 1024:F1}); left: {Left}");
}

/// <summary>The proportional set size of one pod's host processes, KiB.</summary>
public sealed record PodMemory(string SandboxId, long ShimKiB, long QemuKiB)
{
    /// <summary>The shim (its command line names the sandbox id) and the QEMU (its command line names the sandbox directory).</summary>
    public static PodMemory Of(CriContainerd containerd, string sandboxId)
    {
        long shim = 0, qemu = 0;
        string sandboxDirectory = Path.Combine(containerd.SealpodRunDirectory, "sandboxes", sandboxId) + "/";
        foreach (var (pid, commandLine) in containerd.ProcessesUnder())
        {
            if (commandLine.Contains("containerd-shim-sealpod-v2", StringComparison.Ordinal) && commandLine.Contains($"-id {sandboxId}", StringComparison.Ordinal))
            {
                shim += Pss(pid);
            }
            else if (commandLine.Contains("qemu-system", StringComparison.Ordinal) && commandLine.Contains(sandboxDirectory, StringComparison.Ordinal))
            {
                qemu += Pss(pid);
            }
        }

        if (shim == 0 || qemu == 0)
        {
            throw new InvalidOperationException($"pod {sandboxId}: shim or QEMU not found (shim {shim} KiB, QEMU {qemu} KiB)");
        }

        return new PodMemory(sandboxId, shim, qemu);
    }

    private static long Pss(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/smaps_rollup"))
        {
            if (line.StartsWith("Pss:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
