namespace Sealpod.Bench.Cri;

/// <summary>
/// Counts what removed pods may leave on the host, by kind: processes (shims, QEMUs, virtiofsd), taps and tc ingress
/// qdiscs in the node's (isolated) namespace and pod network namespaces, cgroups (the pods' own under /sealpod and
/// /sealpod_overhead, the shared levels left empty, the harness's pod cgroups), mounts, sockets and FIFOs under the
/// harness's and Sealpod's directories, and files left in Sealpod's sandboxes directory or in /tmp naming sealpod.
/// </summary>
public sealed class SoakCensus(CriContainerd containerd)
{
    private static readonly string[] SharedLevels = ["/sealpod", "/sealpod_overhead"];
    private readonly HashSet<string> _tmpBefore = new(Directory.EnumerateFileSystemEntries(Path.GetTempPath()), StringComparer.Ordinal);

    public async Task<SoakCount> TakeAsync(IReadOnlyList<string> sandboxIds, CancellationToken cancellationToken)
    {
        var processes = containerd.ProcessesUnder();
        int Count(string marker) => processes.Count(p => p.CommandLine.Contains(marker, StringComparison.Ordinal));
        var links = await Tool.RunAsync("ip", ["-n", containerd.Network.Name, "-o", "link", "show"], cancellationToken);
        var qdiscs = await Tool.RunAsync("tc", ["-n", containerd.Network.Name, "qdisc", "show"], cancellationToken);
        int podNetns = Directory.Exists(containerd.PodNetnsDirectory) ? Directory.EnumerateFileSystemEntries(containerd.PodNetnsDirectory).Count() : 0;
        var cgroups = CgroupLeftovers(sandboxIds);
        var sandboxes = Path.Combine(containerd.SealpodRunDirectory, "sandboxes");
        var files = (Directory.Exists(sandboxes) ? Directory.EnumerateFileSystemEntries(sandboxes).ToList() : [])
            .Concat(Directory.EnumerateFileSystemEntries(Path.GetTempPath()).Where(e => !_tmpBefore.Contains(e) && e.Contains("sealpod", StringComparison.OrdinalIgnoreCase)))
            .ToList();
        if (files.Count > 0)
        {
            // /tmp is the machine's: another Sealpod process (a test, a shim's KVM probe) may hold a scratch entry for a
            // moment. What is still there a little later is left over.
            await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
            files = files.Where(f => File.Exists(f) || Directory.Exists(f)).ToList();
        }

        var found = await Tool.RunAsync("find", [containerd.Root, .. Directory.Exists(containerd.SealpodRunDirectory) ? [containerd.SealpodRunDirectory] : Array.Empty<string>(), "(", "-type", "s", "-o", "-type", "p", ")", "-printf", "%y %p\n"], cancellationToken);
        var special = found.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            // containerd's own sockets stay while it runs.
            .Where(l => !l.EndsWith(".sock", StringComparison.Ordinal) && !l.EndsWith(".sock.ttrpc", StringComparison.Ordinal))
            .ToList();
        var shimSockets = sandboxIds.Select(containerd.ShimSocket).Where(File.Exists).ToList();
        return new SoakCount(
            Shims: Count("containerd-shim-sealpod-v2"),
            Qemus: Count("qemu-system"),
            Virtiofsd: Count("virtiofsd"),
            Taps: links.Stdout.Split('\n').Count(l => l.Contains("tap", StringComparison.Ordinal) || l.Contains("veth", StringComparison.Ordinal)) + podNetns,
            TcIngress: qdiscs.Stdout.Split('\n').Count(l => l.Contains("ingress", StringComparison.Ordinal)),
            Cgroups: cgroups.Count,
            Mounts: containerd.MountsUnder().Count,
            Sockets: special.Count(l => l.StartsWith("s ", StringComparison.Ordinal)) + shimSockets.Count,
            Fifos: special.Count(l => l.StartsWith("p ", StringComparison.Ordinal)),
            Files: files.Count,
            Details: [.. processes.Select(p => $"process {p.Pid}: {p.CommandLine}"), .. cgroups, .. special, .. shimSockets, .. files]);
    }

    // The pods' own cgroups wherever Sealpod puts them, the shared levels when empty, the harness's pod cgroups.
    private List<string> CgroupLeftovers(IReadOnlyList<string> sandboxIds)
    {
        var left = new List<string>();
        foreach (var level in SharedLevels)
        {
            foreach (var directory in PodCgroups.Directories(level))
            {
                var children = Directory.EnumerateDirectories(directory).ToList();
                left.AddRange(children.Where(c => sandboxIds.Contains(Path.GetFileName(c))).Select(c => $"cgroup {c}"));
                if (children.Count == 0)
                {
                    left.Add($"empty shared cgroup {directory}");
                }
            }
        }

        foreach (var directory in PodCgroups.Directories(containerd.Cgroups.Parent))
        {
            left.AddRange(Directory.EnumerateDirectories(directory).Select(c => $"pod cgroup {c}"));
        }

        return left;
    }
}

/// <summary>What was left, by kind; clean when every count is zero.</summary>
public sealed record SoakCount(int Shims, int Qemus, int Virtiofsd, int Taps, int TcIngress, int Cgroups, int Mounts, int Sockets, int Fifos, int Files, IReadOnlyList<string> Details)
{
    public bool Clean => Shims + Qemus + Virtiofsd + Taps + TcIngress + Cgroups + Mounts + Sockets + Fifos + Files == 0;

    public string Describe() => ToString() + "\n" + string.Join('\n', Details);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"shims {Shims}, QEMUs {Qemus}, virtiofsd {Virtiofsd}, taps/veths/pod netns {Taps}, tc ingress {TcIngress}, cgroups {Cgroups}, mounts {Mounts}, sockets {Sockets}, FIFOs {Fifos}, files {Files}");
}
