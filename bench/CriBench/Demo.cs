namespace Sealpod.Bench.Cri;

/// <summary>
/// `make run`: a pod through containerd's CRI with the sealpod handler, as a kubelet would run it: RunPodSandbox,
/// CreateContainer and StartContainer of a busybox httpd serving a page the container wrote, then an HTTP GET to
/// the pod IP from the (isolated) node side. Prints the guest kernel release, the pod IP and the page, then removes
/// the pod and checks that nothing is left.
/// </summary>
public static class Demo
{
    public static async Task<int> RunAsync(CriBenchOptions options, CancellationToken cancellationToken)
    {
        Console.WriteLine($"host kernel:    {(await Tool.RunAsync("uname", ["-r"], cancellationToken)).Stdout.Trim()}");
        await using var session = await CriBenchSession.StartAsync(cancellationToken);
        var (containerd, pods) = (session.Containerd, session.Pods);
        Console.WriteLine($"containerd (CRI) in network namespace {containerd.Network.Name}; handler {options.Handler}");
        var started = DateTime.UtcNow;
        var pod = await pods.RunHttpPodAsync("demo", options.Handler, cancellationToken: cancellationToken);
        try
        {
            var (body, _) = await pods.GetAsync(pod.PodIp, PodConfigs.HttpPort, TimeSpan.FromSeconds(120), cancellationToken);
            var elapsed = DateTime.UtcNow - started;
            var release = await pods.ExecAsync(pod.ContainerId, ["uname", "-r"], cancellationToken);
            Console.WriteLine($"guest kernel:   {release.Stdout.Trim()}");
            Console.WriteLine($"pod IP:         {pod.PodIp}");
            Console.WriteLine($"page:           {body.Trim()}");
            Console.WriteLine($"RunPodSandbox to the page: {elapsed.TotalMilliseconds:F0} ms");
        }
        finally
        {
            await pods.RemoveAsync(pod.SandboxId, times: 1, cancellationToken);
        }

        await containerd.AssertNothingLeftAsync([pod.SandboxId], cancellationToken);
        Console.WriteLine("pod removed; nothing left (no pod network namespace, shim, QEMU, mount or socket)");
        return 0;
    }
}
