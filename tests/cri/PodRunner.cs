using Grpc.Core;
using Sealpod.CriHarness.V1;

namespace Sealpod.CriHarness;

/// <summary>
/// A kubelet's calls for the harness: run a pod with an httpd container (RunPodSandbox, CreateContainer,
/// StartContainer), exec in it, fetch its page from the isolated namespace, stop and remove it.
/// </summary>
public sealed class PodRunner(CriContainerd containerd)
{
    /// <summary>Bounds each call: a VM boot under TCG on a loaded machine takes a while, a hang must still fail.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromMinutes(4);

    public CriContainerd Containerd => containerd;

    /// <summary>Runs a pod named <paramref name="name"/> with <paramref name="handler"/> and its httpd container (shaped by <paramref name="shapeContainer"/>); the page names the pod.</summary>
    public async Task<RunningPod> RunHttpPodAsync(string name, string handler, Func<PodSandboxConfig, PodSandboxConfig>? shape = null, Func<ContainerConfig, ContainerConfig>? shapeContainer = null, CancellationToken cancellationToken = default)
    {
        string logDirectory = Directory.CreateDirectory(Path.Combine(containerd.Root, "pod-logs", name)).FullName;
        var config = PodConfigs.Pod(name, logDirectory, containerd.Cgroups);
        config = shape?.Invoke(config) ?? config;
        PodCgroups.Create(config.Linux.CgroupParent);
        string sandboxId = await RunPodSandboxAsync(config, handler, cancellationToken).ConfigureAwait(false);
        string page = $"page written by the container of pod {name} ({handler})";
        var container = PodConfigs.HttpServer("httpd", page);
        container = shapeContainer?.Invoke(container) ?? container;
        var created = await containerd.Runtime.CreateContainerAsync(
            new CreateContainerRequest { PodSandboxId = sandboxId, Config = container, SandboxConfig = config }, CriContainerd.Deadline(CallTimeout, cancellationToken));
        await containerd.Runtime.StartContainerAsync(new StartContainerRequest { ContainerId = created.ContainerId }, CriContainerd.Deadline(CallTimeout, cancellationToken));
        string ip = await PodIpAsync(sandboxId, cancellationToken).ConfigureAwait(false);
        return new RunningPod(name, handler, sandboxId, created.ContainerId, ip, logDirectory, Path.Combine(logDirectory, container.LogPath), page);
    }

    public async Task<string> RunPodSandboxAsync(PodSandboxConfig config, string handler, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await containerd.Runtime.RunPodSandboxAsync(new RunPodSandboxRequest { Config = config, RuntimeHandler = handler }, CriContainerd.Deadline(CallTimeout, cancellationToken));
            return response.PodSandboxId;
        }
        catch (RpcException error)
        {
            throw new InvalidOperationException($"RunPodSandbox {config.Metadata.Name} with {handler}: {error.Status}\ncontainerd log tail:\n{containerd.LogTail()}", error);
        }
    }

    /// <summary>The address CNI gave the pod, from PodSandboxStatus.</summary>
    public async Task<string> PodIpAsync(string sandboxId, CancellationToken cancellationToken = default)
    {
        var status = await containerd.Runtime.PodSandboxStatusAsync(new PodSandboxStatusRequest { PodSandboxId = sandboxId }, CriContainerd.Deadline(TimeSpan.FromSeconds(30), cancellationToken));
        return status.Status.Network?.Ip is { Length: > 0 } ip ? ip : throw new InvalidOperationException($"pod {sandboxId} has no IP in PodSandboxStatus");
    }

    /// <summary>ExecSync: stdout, stderr and exit code, UTF-8.</summary>
    public async Task<(string Stdout, string Stderr, int ExitCode)> ExecAsync(string containerId, IReadOnlyList<string> command, CancellationToken cancellationToken = default)
    {
        var response = await containerd.Runtime.ExecSyncAsync(
            new ExecSyncRequest { ContainerId = containerId, Cmd = { command }, Timeout = 60 }, CriContainerd.Deadline(TimeSpan.FromSeconds(90), cancellationToken));
        return (response.Stdout.ToStringUtf8(), response.Stderr.ToStringUtf8(), response.ExitCode);
    }

    /// <summary>
    /// GETs http://<paramref name="address"/>:<paramref name="port"/>/ from the isolated namespace until it answers 200 or
    /// <paramref name="timeout"/> passes (httpd starts after StartContainer returned); the body and when its first byte came.
    /// </summary>
    public async Task<(string Body, TimeSpan Elapsed)> GetAsync(string address, int port, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var client = containerd.Network.CreateHttpClient(TimeSpan.FromSeconds(5));
        var clock = Stopwatch.StartNew();
        string lastError = "no attempt";
        while (clock.Elapsed < timeout)
        {
            try
            {
                using var response = await client.GetAsync(new Uri($"http://{address}:{port}/"), HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                var firstByte = clock.Elapsed;
                string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return (body, firstByte);
                }

                lastError = $"HTTP {(int)response.StatusCode}: {body}";
            }
            catch (HttpRequestException error)
            {
                lastError = error.Message;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                lastError = "no answer within 5 s";
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }

        throw new TimeoutException($"http://{address}:{port}/ from {containerd.Network.Name} did not answer 200 within {timeout.TotalSeconds} s: {lastError}");
    }

    /// <summary>
    /// StopPodSandbox then RemovePodSandbox, each <paramref name="times"/> times (a kubelet retries them: both must be
    /// idempotent), then, as a kubelet does, the pod's cgroup: it must be empty by then.
    /// </summary>
    public async Task RemoveAsync(string sandboxId, int times = 1, CancellationToken cancellationToken = default)
    {
        var status = await containerd.Runtime.PodSandboxStatusAsync(new PodSandboxStatusRequest { PodSandboxId = sandboxId }, CriContainerd.Deadline(TimeSpan.FromSeconds(30), cancellationToken));
        string cgroup = containerd.Cgroups.PodCgroup(status.Status.Metadata.Uid);
        for (int i = 0; i < times; i++)
        {
            await containerd.Runtime.StopPodSandboxAsync(new StopPodSandboxRequest { PodSandboxId = sandboxId }, CriContainerd.Deadline(CallTimeout, cancellationToken));
        }

        for (int i = 0; i < times; i++)
        {
            await containerd.Runtime.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = sandboxId }, CriContainerd.Deadline(CallTimeout, cancellationToken));
        }

        var problems = PodCgroups.Remove(cgroup);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"pod {sandboxId} removed, its cgroup is not empty:\n{string.Join('\n', problems)}");
        }
    }

    /// <summary>The CRI log file's lines without CRI's "TIMESTAMP STREAM TAG " prefix, with their stream.</summary>
    public static IReadOnlyList<(string Stream, string Text)> ReadCriLog(string path) =>
        File.ReadAllLines(path, Encoding.UTF8)
            .Select(line => line.Split(' ', 4))
            .Where(parts => parts.Length == 4)
            .Select(parts => (parts[1], parts[3]))
            .ToList();
}
