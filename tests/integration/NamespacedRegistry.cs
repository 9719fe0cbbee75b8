using System.Diagnostics;
using Sealpod.CriHarness;

namespace Sealpod.IntegrationTests;

/// <summary>
/// Debian's docker-registry serving plain HTTP on 127.0.0.1:5000 inside the CRI harness's network namespace (nsenter
/// --net), storing under a directory of the test's; images are pushed into it with skopeo, also run in the namespace.
/// Disposing kills it; the directory belongs to the caller.
/// </summary>
public sealed class NamespacedRegistry : IAsyncDisposable
{
    public const string Address = "127.0.0.1:5000";

    private readonly Process _process;
    private readonly IsolatedNetwork _network;

    private NamespacedRegistry(Process process, IsolatedNetwork network)
    {
        _process = process;
        _network = network;
    }

    /// <param name="listen">
    /// Where it listens: <see cref="Address"/> (loopback, containerd's side only), or e.g. <c>0.0.0.0:5000</c> so pods,
    /// a VM's guest included, reach it at the CNI bridge's address too. Pushes and the readiness probe use loopback.
    /// </param>
    public static async Task<NamespacedRegistry> StartAsync(IsolatedNetwork network, string directory, CancellationToken cancellationToken, string listen = Address)
    {
        ArgumentNullException.ThrowIfNull(network);
        string config = Path.Combine(directory, "registry.yml");
        Directory.CreateDirectory(Path.Combine(directory, "storage"));
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: {Path.Combine(directory, "storage")}
            http:
              addr: {listen}
            """, cancellationToken);
        var start = new ProcessStartInfo("nsenter", ["--net=" + network.Path, "--", "docker-registry", "serve", config])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("nsenter/docker-registry did not start");
        _ = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        var registry = new NamespacedRegistry(process, network);
        try
        {
            using var http = network.CreateHttpClient(TimeSpan.FromSeconds(5));
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (true)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"docker-registry exited {process.ExitCode}: {await stderr}");
                }

                try
                {
                    if ((await http.GetAsync(new Uri($"http://{Address}/v2/"), cancellationToken)).IsSuccessStatusCode)
                    {
                        return registry;
                    }
                }
                catch (HttpRequestException) when (DateTime.UtcNow < deadline)
                {
                }

                if (DateTime.UtcNow >= deadline)
                {
                    throw new TimeoutException($"docker-registry did not answer on {Address} within 30 s");
                }

                await Task.Delay(100, cancellationToken);
            }
        }
        catch
        {
            await registry.DisposeAsync();
            throw;
        }
    }

    /// <summary>Pushes an OCI layout's tagged image as <c>127.0.0.1:5000/REPOSITORY:TAG</c>; returns that reference.</summary>
    public async Task<string> PushAsync(OciLayoutImage image, string repository, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        string reference = $"{Address}/{repository}:{image.Tag}";
        (await _network.ExecAsync(["skopeo", "--insecure-policy", "copy", "--dest-tls-verify=false", "--preserve-digests",
            $"oci:{image.Directory}:{image.Tag}", "docker://" + reference], cancellationToken)).EnsureSuccess();
        return reference;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
